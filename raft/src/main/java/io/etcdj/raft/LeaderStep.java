package io.etcdj.raft;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Message handling of the LEADER (term rules already applied). */
final class LeaderStep {
  private LeaderStep() {}

  static void step(Raft r, Message m) {
    switch (m.getType()) {
      case MsgBeat -> {
        Replicator.bcastHeartbeat(r);
        return;
      }
      case MsgCheckQuorum -> {
        if (!r.tracker.quorumActive(r.id)) {
          r.becomeFollower(r.term, 0); // we may be on the minority side of a partition
        }
        // Everyone must show up again within the next interval.
        r.tracker.forEach((id, pr) -> pr.setRecentActive(id == r.id));
        return;
      }
      case MsgProp -> {
        handleProposal(r, m);
        return;
      }
      case MsgReadIndex -> {
        handleReadIndex(r, m);
        return;
      }
      default -> { }
    }
    Progress pr = r.tracker.progress(m.getFrom());
    if (pr == null) {
      return; // not (or no longer) a member
    }
    switch (m.getType()) {
      case MsgAppResp -> handleAppendResponse(r, m, pr);
      case MsgHeartbeatResp -> handleHeartbeatResponse(r, m, pr);
      case MsgSnapStatus -> {
        if (pr.state() != ProgressState.SNAPSHOT) {
          return;
        }
        if (m.getReject()) {
          pr.becomeSnapshot(0); // forget the failed snapshot before probing again
        }
        pr.becomeProbe();
        // Wait for the follower to answer (a heartbeat response) before the next probe.
        pr.pauseProbe();
      }
      case MsgUnreachable -> {
        if (pr.state() == ProgressState.REPLICATE) {
          pr.becomeProbe(); // optimistic pipelining makes no sense while messages are lost
        }
      }
      case MsgTransferLeader -> handleTransferLeader(r, m, pr);
      default -> { }
    }
  }

  private static void handleProposal(Raft r, Message m) {
    if (m.getEntriesCount() == 0) {
      throw new IllegalArgumentException("stepped empty MsgProp");
    }
    if (r.tracker.progress(r.id) == null || r.leadTransferee != 0) {
      // removed from the group, or handing leadership over
      throw new ProposalDroppedException();
    }
    List<Entry> es = new ArrayList<>(m.getEntriesList());
    for (int i = 0; i < es.size(); i++) {
      if (es.get(i).getType() != EntryType.EntryConfChange) {
        continue;
      }
      if (r.pendingConfIndex > r.log.applied()) {
        // One membership change at a time: keep the slot in the log, drop the change.
        es.set(i, Entry.newBuilder().setType(EntryType.EntryNormal).build());
      } else {
        r.pendingConfIndex = r.log.lastIndex() + i + 1;
      }
    }
    if (!r.appendEntries(es)) {
      throw new ProposalDroppedException();
    }
    Replicator.bcastAppend(r);
  }

  private static void handleAppendResponse(Raft r, Message m, Progress pr) {
    pr.setRecentActive(true);
    if (m.getReject()) {
      long nextProbe = m.getRejectHint();
      if (m.getLogTerm() > 0) {
        // Skip every index whose term in our log is above the follower's term at its hint.
        nextProbe = r.log.findConflictByTerm(m.getRejectHint(), m.getLogTerm())[0];
      }
      if (pr.maybeDecrTo(m.getIndex(), nextProbe)) {
        if (pr.state() == ProgressState.REPLICATE) {
          pr.becomeProbe();
        }
        Replicator.sendAppend(r, m.getFrom());
      }
      return;
    }
    boolean wasPaused = pr.isPaused();
    if (!pr.maybeUpdate(m.getIndex())
        && !(pr.match() == m.getIndex() && pr.state() == ProgressState.PROBE)) {
      return; // stale
    }
    switch (pr.state()) {
      case PROBE -> pr.becomeReplicate();
      case SNAPSHOT -> {
        if (pr.match() + 1 >= r.log.firstIndex()) {
          pr.becomeProbe();
          pr.becomeReplicate();
        }
      }
      case REPLICATE -> pr.inflights().freeLE(m.getIndex());
    }
    if (r.maybeCommit()) {
      onCommitAdvanced(r);
    } else if (wasPaused) {
      Replicator.sendAppend(r, m.getFrom());
    }
    // Stream the rest of the log in maxSizePerMsg batches while the window allows.
    while (Replicator.maybeSendAppend(r, m.getFrom(), false)) {
      // keep sending
    }
    if (m.getFrom() == r.leadTransferee && pr.match() == r.log.lastIndex()) {
      Replicator.sendTimeoutNow(r, m.getFrom());
    }
  }

  private static void handleHeartbeatResponse(Raft r, Message m, Progress pr) {
    pr.setRecentActive(true);
    pr.resume();
    if (pr.state() == ProgressState.REPLICATE && pr.inflights().full()) {
      // The follower is alive but the window is full: its acks (or our appends) may have been
      // lost. Free one slot so an append goes out and the follower's answer repairs the state.
      pr.inflights().freeFirstOne();
    }
    if (pr.match() < r.log.lastIndex() || pr.state() == ProgressState.PROBE) {
      Replicator.sendAppend(r, m.getFrom());
    }
    if (r.readOnly.option() != ReadOnlyOption.SAFE || m.getContext().isEmpty()) {
      return;
    }
    Map<Long, Boolean> acks = r.readOnly.recvAck(m.getFrom(), m.getContext());
    if (acks == null || MajorityQuorum.voteResult(r.tracker.voters(), acks) != VoteResult.WON) {
      return;
    }
    for (ReadOnly.Request req : r.readOnly.advance(m.getContext())) {
      respondToReadIndex(r, req.req(), req.index());
    }
  }

  private static void handleTransferLeader(Raft r, Message m, Progress pr) {
    if (pr.learner()) {
      return; // a learner cannot lead
    }
    long transferee = m.getFrom();
    if (r.leadTransferee != 0) {
      if (r.leadTransferee == transferee) {
        return; // already under way
      }
      r.leadTransferee = 0; // a newer request replaces the old one
    }
    if (transferee == r.id) {
      return; // already leader
    }
    // The transfer must finish within one election timeout (see Raft.tickHeartbeat).
    r.electionElapsed = 0;
    r.leadTransferee = transferee;
    if (pr.match() == r.log.lastIndex()) {
      Replicator.sendTimeoutNow(r, transferee);
    } else {
      Replicator.sendAppend(r, transferee);
    }
  }

  /**
   * ReadIndex at the leader. The read index is our commit index, valid only once an entry of
   * our term is committed (before that, our commit index may lag what earlier leaders
   * committed): until then requests wait in {@code pendingReadIndexMessages}.
   */
  static void handleReadIndex(Raft r, Message m) {
    if (!r.committedEntryInCurrentTerm()) {
      r.pendingReadIndexMessages.add(m);
      return;
    }
    long index = r.log.committed();
    if (r.tracker.voters().size() == 1 || r.readOnly.option() == ReadOnlyOption.LEASE_BASED) {
      respondToReadIndex(r, m, index); // no one can depose us, or we trust the lease
      return;
    }
    r.readOnly.addRequest(index, m);
    ByteString ctx = m.getEntries(0).getData();
    Map<Long, Boolean> acks = r.readOnly.recvAck(r.id, ctx);
    if (acks != null && MajorityQuorum.voteResult(r.tracker.voters(), acks) == VoteResult.WON) {
      for (ReadOnly.Request req : r.readOnly.advance(ctx)) {
        respondToReadIndex(r, req.req(), req.index());
      }
    }
    // otherwise the heartbeat round goes out with the next Ready (one round per batch)
  }

  static void respondToReadIndex(Raft r, Message req, long index) {
    if (req.getFrom() == 0 || req.getFrom() == r.id) {
      r.readStates.add(new ReadState(index, req.getEntries(0).getData()));
      return;
    }
    r.send(Message.newBuilder().setTo(req.getFrom()).setType(MessageType.MsgReadIndexResp)
        .setIndex(index).addAllEntries(req.getEntriesList()));
  }

  /** Sends the heartbeat round for read requests queued since the last Ready, if any. */
  static void flushReadIndexRound(Raft r) {
    if (!r.isLeader()) {
      return;
    }
    ByteString ctx = r.readOnly.takeUnsentRound();
    if (ctx != null) {
      Replicator.bcastHeartbeatWithCtx(r, ctx);
    }
  }

  /** The commit index moved: tell followers, and serve reads that waited for a current-term commit. */
  static void onCommitAdvanced(Raft r) {
    if (r.committedEntryInCurrentTerm() && !r.pendingReadIndexMessages.isEmpty()) {
      List<Message> waiting = new ArrayList<>(r.pendingReadIndexMessages);
      r.pendingReadIndexMessages.clear();
      for (Message m : waiting) {
        handleReadIndex(r, m);
      }
    }
    Replicator.bcastAppend(r);
  }
}
