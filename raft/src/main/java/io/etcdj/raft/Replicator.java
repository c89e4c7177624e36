package io.etcdj.raft;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import io.etcdj.raft.pb.Snapshot;
import java.util.List;

/**
 * The leader's sending side: appends (batched up to maxSizePerMsg, pipelined within the
 * inflight window), snapshots for followers behind the log's first index, and heartbeats.
 */
final class Replicator {
  private Replicator() {}

  /** Sends an append (possibly empty, to carry the commit index) unless the follower is paused. */
  static boolean sendAppend(Raft r, long to) {
    return maybeSendAppend(r, to, true);
  }

  /**
   * Sends the follower the entries from its next index (or a snapshot if those are compacted).
   * Returns whether a message was sent; never sends an empty append unless {@code sendIfEmpty}.
   */
  static boolean maybeSendAppend(Raft r, long to, boolean sendIfEmpty) {
    Progress pr = r.tracker.progress(to);
    if (pr == null || pr.isPaused()) {
      return false;
    }
    long prevIndex = pr.next() - 1;
    long prevTerm;
    List<Entry> ents;
    try {
      prevTerm = r.log.term(prevIndex);
      ents = r.log.entries(pr.next(), r.maxMsgSize);
    } catch (CompactedException e) {
      return sendSnapshot(r, to, pr);
    } catch (UnavailableException e) {
      return false; // next is beyond our log: wait for the follower's answer to fix it
    }
    if (ents.isEmpty() && !sendIfEmpty) {
      return false;
    }
    r.send(Message.newBuilder()
        .setTo(to).setType(MessageType.MsgApp)
        .setIndex(prevIndex).setLogTerm(prevTerm)
        .addAllEntries(ents)
        .setCommit(r.log.committed()));
    long last = ents.isEmpty() ? prevIndex : ents.get(ents.size() - 1).getIndex();
    pr.sentEntries(ents.size(), last, EntrySizes.serializedSize(ents));
    return true;
  }

  private static boolean sendSnapshot(Raft r, long to, Progress pr) {
    if (!pr.recentActive()) {
      return false; // do not ship a snapshot to a member that may be down
    }
    Snapshot snap;
    try {
      snap = r.log.snapshot();
    } catch (SnapshotTemporarilyUnavailableException e) {
      return false;
    }
    long index = snap.getMetadata().getIndex();
    if (index == 0) {
      throw new IllegalStateException("need non-empty snapshot");
    }
    pr.becomeSnapshot(index);
    r.send(Message.newBuilder().setTo(to).setType(MessageType.MsgSnap).setSnapshot(snap));
    return true;
  }

  static void bcastAppend(Raft r) {
    r.tracker.forEach((id, pr) -> {
      if (id != r.id) {
        sendAppend(r, id);
      }
    });
  }

  /** Heartbeats to every member, carrying the newest pending read request's context. */
  static void bcastHeartbeat(Raft r) {
    bcastHeartbeatWithCtx(r, r.readOnly.lastPendingRequestCtx());
  }

  static void bcastHeartbeatWithCtx(Raft r, ByteString ctx) {
    r.tracker.forEach((id, pr) -> {
      if (id != r.id) {
        sendHeartbeat(r, id, ctx);
      }
    });
  }

  /**
   * A heartbeat carries {@code min(match, committed)}: a follower must never be told to commit
   * an index it might not hold (or holds with a different term).
   */
  static void sendHeartbeat(Raft r, long to, ByteString ctx) {
    Progress pr = r.tracker.progress(to);
    long commit = Math.min(pr.match(), r.log.committed());
    r.send(Message.newBuilder().setTo(to).setType(MessageType.MsgHeartbeat)
        .setCommit(commit).setContext(ctx == null ? ByteString.EMPTY : ctx));
  }

  static void sendTimeoutNow(Raft r, long to) {
    r.send(Message.newBuilder().setTo(to).setType(MessageType.MsgTimeoutNow));
  }
}
