package io.etcdj.raft;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.HardState;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import io.etcdj.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;

/**
 * One raft member as a pure state machine: no threads, no I/O, no clock. The owner drives it
 * from one thread: {@link #tick()} on a timer, {@link #step(Message)} for network messages,
 * {@link #propose}/{@link #readIndex}/... for local requests, and a loop of
 * {@code if (hasReady()) { rd = ready(); handle rd (see Ready); advance(rd); }}.
 *
 * <p>Readies are handled one at a time: {@link #ready()} must not be called again before
 * {@link #advance(Ready)} of the previous one (messagesAfterPersist of a Ready may acknowledge
 * entries handed out in an earlier Ready).
 *
 * <p>Not thread-safe.
 */
public final class RawNode {
  private static final long NO_SNAPSHOT = -1;

  private final Raft raft;
  private SoftState prevSoft;
  private HardState prevHard;
  private boolean readyOutstanding;

  public RawNode(RaftConfig cfg) {
    this.raft = new Raft(cfg);
    this.prevSoft = raft.softState();
    this.prevHard = raft.hardState();
  }

  /**
   * Founds a new group: one ConfChangeAddNode entry per peer at term 1, indexes 1..n, already
   * committed (they are emitted in the first Ready to persist, and as committed entries once
   * durable; applying them again through {@link #applyConfChange} is harmless).
   *
   * @throws IllegalStateException if the log is not empty
   */
  public void bootstrap(List<Peer> peers) {
    if (peers.isEmpty()) {
      throw new IllegalArgumentException("must provide at least one peer to Bootstrap");
    }
    if (raft.log.lastIndex() != 0) {
      throw new IllegalStateException("can't bootstrap a nonempty Storage");
    }
    raft.becomeFollower(1, 0);
    List<Entry> ents = new ArrayList<>();
    List<ConfChange> changes = new ArrayList<>();
    for (int i = 0; i < peers.size(); i++) {
      Peer p = peers.get(i);
      ConfChange cc = ConfChange.newBuilder().setType(ConfChangeType.ConfChangeAddNode)
          .setNodeId(p.id()).setContext(p.context()).build();
      changes.add(cc);
      ents.add(Entry.newBuilder().setType(EntryType.EntryConfChange).setTerm(1).setIndex(i + 1)
          .setData(cc.toByteString()).build());
    }
    raft.log.append(ents);
    raft.log.commitTo(ents.size());
    for (ConfChange cc : changes) {
      ConfChangeApplier.apply(raft, cc);
    }
  }

  /** Advances logical time by one tick (election timeout / heartbeat interval are in ticks). */
  public void tick() {
    raft.tick();
  }

  /** Starts an election now (with a pre-vote if configured). No-op on a leader or learner. */
  public void campaign() {
    raft.step(Message.newBuilder().setType(MessageType.MsgHup).setFrom(raft.id).build());
  }

  /** Proposes data to be appended to the log. @throws ProposalDroppedException */
  public void propose(ByteString data) {
    raft.step(Message.newBuilder().setType(MessageType.MsgProp).setFrom(raft.id)
        .addEntries(Entry.newBuilder().setData(data)).build());
  }

  /** Proposes a membership change. @throws ProposalDroppedException */
  public void proposeConfChange(ConfChange cc) {
    raft.step(Message.newBuilder().setType(MessageType.MsgProp).setFrom(raft.id)
        .addEntries(Entry.newBuilder().setType(EntryType.EntryConfChange).setData(cc.toByteString()))
        .build());
  }

  /** Applies a committed conf change entry's change; returns the resulting configuration. */
  public ConfState applyConfChange(ConfChange cc) {
    return ConfChangeApplier.apply(raft, cc);
  }

  /**
   * Feeds a message from the network. A proposal forwarded to us that we cannot accept is
   * silently dropped (the proposer times out); responses from non-members are ignored.
   *
   * @throws IllegalArgumentException for message types that are local only
   */
  public void step(Message m) {
    switch (m.getType()) {
      case MsgHup, MsgBeat, MsgUnreachable, MsgSnapStatus, MsgCheckQuorum ->
          throw new IllegalArgumentException("raft: cannot step raft local message");
      default -> { }
    }
    if (isResponse(m.getType()) && m.getFrom() != 0 && raft.tracker.progress(m.getFrom()) == null) {
      return; // "raft: cannot step as peer not found"
    }
    if ((m.getType() == MessageType.MsgProp && m.getEntriesCount() == 0)
        || (m.getType() == MessageType.MsgReadIndex && m.getEntriesCount() != 1)) {
      return; // malformed: nothing to propose / no request context
    }
    try {
      raft.step(m);
    } catch (ProposalDroppedException e) {
      // a forwarded proposal: the follower that forwarded it does not wait for an answer
    }
  }

  private static boolean isResponse(MessageType t) {
    return switch (t) {
      case MsgAppResp, MsgVoteResp, MsgHeartbeatResp, MsgUnreachable, MsgPreVoteResp -> true;
      default -> false;
    };
  }

  /** Whether {@link #ready()} would return anything. */
  public boolean hasReady() {
    if (!raft.softState().equals(prevSoft)) {
      return true;
    }
    HardState hs = raft.hardState();
    if (!hs.equals(HardState.getDefaultInstance()) && !hs.equals(prevHard)) {
      return true;
    }
    return raft.log.nextUnstableSnapshot() != null
        || raft.log.unstable().hasNextEntries()
        || raft.log.hasNextCommittedEntries()
        || !raft.outbox.isEmpty()
        || !raft.readStates.isEmpty()
        || (raft.isLeader() && raft.readOnly.hasUnsentRound());
  }

  /**
   * Collects the pending work (see {@link Ready}) and hands it over: the entries and snapshot
   * are "being persisted", the committed entries "being applied", until {@link #advance}.
   */
  public Ready ready() {
    LeaderStep.flushReadIndexRound(raft);
    SoftState soft = raft.softState();
    HardState hard = raft.hardState();
    SoftState softOut = soft.equals(prevSoft) ? null : soft;
    HardState hardOut = hard.equals(HardState.getDefaultInstance()) || hard.equals(prevHard) ? null : hard;
    List<Entry> entries = raft.log.nextUnstableEntries();
    Snapshot snapshot = raft.log.nextUnstableSnapshot();
    List<Entry> committed = raft.log.nextCommittedEntries();
    boolean mustSync = !entries.isEmpty() || snapshot != null
        || (hardOut != null && (hard.getTerm() != prevHard.getTerm() || hard.getVote() != prevHard.getVote()));
    Ready rd = new Ready(softOut, hardOut, new ArrayList<>(raft.readStates), entries, snapshot,
        committed, raft.outbox.takeImmediate(), raft.outbox.takeAfterPersist(), mustSync);
    raft.readStates.clear();
    prevSoft = soft;
    if (hardOut != null) {
      prevHard = hard;
    }
    raft.log.acceptUnstable();
    if (!committed.isEmpty()) {
      raft.log.acceptApplying(committed.get(committed.size() - 1).getIndex());
    }
    readyOutstanding = true;
    return rd;
  }

  /**
   * The application persisted everything {@code rd} asked to persist (durably, if mustSync)
   * and handed {@code rd.committedEntries()} (and the snapshot) to the state machine.
   */
  public void advance(Ready rd) {
    readyOutstanding = false;
    long snapIndex = rd.snapshot() == null ? NO_SNAPSHOT : rd.snapshot().getMetadata().getIndex();
    if (snapIndex != NO_SNAPSHOT) {
      raft.log.stableSnapTo(snapIndex);
    }
    if (!rd.entries().isEmpty()) {
      Entry last = rd.entries().get(rd.entries().size() - 1);
      raft.log.stableTo(last.getIndex(), last.getTerm());
      raft.onLocalAppendDurable(last.getIndex(), last.getTerm());
    }
    if (snapIndex != NO_SNAPSHOT && snapIndex > raft.log.applied()) {
      raft.log.appliedTo(snapIndex);
    }
    if (!rd.committedEntries().isEmpty()) {
      raft.log.appliedTo(rd.committedEntries().get(rd.committedEntries().size() - 1).getIndex());
      raft.reduceUncommittedSize(rd.committedEntries());
      raft.maybeRunDeferredTransferCampaign();
    }
  }

  /**
   * Asks for a linearizable read point. The answer is a {@link ReadState} with the same
   * context in a later Ready, on this member. Dropped silently if no leader is known (the
   * caller retries after a timeout, as etcd does).
   */
  public void readIndex(ByteString requestCtx) {
    raft.step(Message.newBuilder().setType(MessageType.MsgReadIndex)
        .addEntries(Entry.newBuilder().setData(requestCtx)).build());
  }

  /** Asks the leader to hand leadership to {@code transferee}; abandoned after electionTick ticks. */
  public void transferLeader(long transferee) {
    raft.step(Message.newBuilder().setType(MessageType.MsgTransferLeader).setFrom(transferee).build());
  }

  /** The transport failed to reach {@code id}: stop pipelining to it until it answers again. */
  public void reportUnreachable(long id) {
    raft.step(Message.newBuilder().setType(MessageType.MsgUnreachable).setFrom(id).build());
  }

  /** The transport finished (or failed) sending the snapshot to {@code id}. */
  public void reportSnapshot(long id, SnapshotStatus status) {
    raft.step(Message.newBuilder().setType(MessageType.MsgSnapStatus).setFrom(id)
        .setReject(status == SnapshotStatus.FAILURE).build());
  }

  /** A consistent copy of this member's state; progress only on the leader. */
  public Status status() {
    Map<Long, PeerProgress> progress = new TreeMap<>();
    if (raft.isLeader()) {
      raft.tracker.forEach((id, pr) -> progress.put(id, pr.view()));
    }
    return new Status(raft.id, raft.hardState(), raft.softState(), raft.log.applied(),
        Collections.unmodifiableMap(progress), raft.leadTransferee, raft.tracker.confState());
  }

  /** Whether ready() was called and its advance() is still due. */
  public boolean readyOutstanding() {
    return readyOutstanding;
  }

  /** Package-private access for tests in this package. */
  Raft raft() {
    return raft;
  }
}
