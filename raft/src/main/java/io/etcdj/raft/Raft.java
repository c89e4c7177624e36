package io.etcdj.raft;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.HardState;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import io.etcdj.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The state of one raft member and the transitions between roles. Message handling specific to
 * a role lives in {@link FollowerStep}, {@link CandidateStep} and {@link LeaderStep}; elections
 * in {@link Election}; sending appends/heartbeats in {@link Replicator}; membership in
 * {@link ConfChangeApplier}.
 *
 * <p>Role transitions (every other transition is illegal):
 * <ul>
 *   <li>FOLLOWER → PRE_CANDIDATE (election timeout, pre-vote on) or CANDIDATE (pre-vote off, or
 *       MsgTimeoutNow);
 *   <li>PRE_CANDIDATE → CANDIDATE (pre-vote won), FOLLOWER (lost, or a leader/higher term seen);
 *   <li>CANDIDATE → LEADER (won), FOLLOWER (lost, or a leader/higher term seen), CANDIDATE (timeout);
 *   <li>LEADER → FOLLOWER (higher term, check-quorum failed, or removed from the group).
 * </ul>
 *
 * <p>Invariants: {@code term} never decreases; {@code vote} is reset only when the term changes;
 * {@code lead == id} iff role is LEADER; the leader's own {@link Progress} match is only raised
 * by {@link #onLocalAppendDurable} (so a quorum means a quorum of durable copies).
 */
final class Raft {
    static final ByteString CAMPAIGN_TRANSFER = ByteString.copyFromUtf8("CampaignTransfer");

    final long id;
    final RaftLog log;
    final ProgressTracker tracker;
    final Outbox outbox = new Outbox();
    final List<ReadState> readStates = new ArrayList<>();
    final List<Message> pendingReadIndexMessages = new ArrayList<>();
    final int electionTimeout;
    final int heartbeatTimeout;
    final boolean checkQuorum;
    final boolean preVote;
    final boolean disableProposalForwarding;
    final long maxMsgSize;
    final long maxUncommittedSize;
    private final ReadOnlyOption readOnlyOption;
    private final RandomGenerator random;

    long term;
    long vote;
    long lead;
    StateRole role = StateRole.FOLLOWER;
    ReadOnly readOnly;
    long leadTransferee;
    /** Index of the last conf change proposed by this leader; a new one waits until it is applied. */
    long pendingConfIndex;
    long uncommittedSize;
    int electionElapsed;
    int heartbeatElapsed;
    int randomizedElectionTimeout;
    /** MsgTimeoutNow arrived while a committed conf change was unapplied: campaign once applied. */
    boolean transferCampaignDeferred;

    Raft(RaftConfig cfg) {
        this.id = cfg.id();
        this.log = new RaftLog(cfg.storage(), cfg.maxCommittedSizePerReady());
        this.tracker = new ProgressTracker(cfg.maxInflightMsgs(), 0);
        this.electionTimeout = cfg.electionTick();
        this.heartbeatTimeout = cfg.heartbeatTick();
        this.checkQuorum = cfg.checkQuorum();
        this.preVote = cfg.preVote();
        this.disableProposalForwarding = cfg.disableProposalForwarding();
        this.maxMsgSize = cfg.maxSizePerMsg();
        this.maxUncommittedSize = cfg.maxUncommittedEntriesSize();
        this.readOnlyOption = cfg.readOnlyOption();
        this.readOnly = new ReadOnly(readOnlyOption);
        this.random = cfg.random();

        InitialState init = cfg.storage().initialState();
        tracker.reset(init.confState(), log.lastIndex() + 1);
        HardState hs = init.hardState();
        if (!hs.equals(HardState.getDefaultInstance())) {
            log.initCursors(hs.getCommit(), 0);
            term = hs.getTerm();
            vote = hs.getVote();
        }
        if (cfg.applied() > 0) {
            log.initCursors(log.committed(), cfg.applied());
        }
        becomeFollower(term, 0);
    }

    // ---- state snapshots -------------------------------------------------------------------

    HardState hardState() {
        return HardState.newBuilder().setTerm(term).setVote(vote).setCommit(log.committed()).build();
    }

    SoftState softState() {
        return new SoftState(lead, role);
    }

    boolean isLeader() {
        return role == StateRole.LEADER;
    }

    /** May this member campaign: it is a voter and is not waiting for a snapshot to persist. */
    boolean promotable() {
        Progress pr = tracker.progress(id);
        return pr != null && !pr.learner() && !log.unstable().hasInProgressOrNextSnapshot();
    }

    boolean committedEntryInCurrentTerm() {
        return log.zeroTermOnOutOfBounds(log.committed()) == term;
    }

    // ---- role transitions ------------------------------------------------------------------

    void becomeFollower(long newTerm, long newLead) {
        reset(newTerm);
        lead = newLead;
        role = StateRole.FOLLOWER;
    }

    void becomePreCandidate() {
        if (role == StateRole.LEADER) {
            throw new IllegalStateException("invalid transition [leader -> pre-candidate]");
        }
        // Term and vote stay: a pre-vote must not disturb anyone.
        tracker.resetVotes();
        lead = 0;
        role = StateRole.PRE_CANDIDATE;
    }

    void becomeCandidate() {
        if (role == StateRole.LEADER) {
            throw new IllegalStateException("invalid transition [leader -> candidate]");
        }
        reset(term + 1);
        vote = id;
        role = StateRole.CANDIDATE;
    }

    void becomeLeader() {
        if (role == StateRole.FOLLOWER) {
            throw new IllegalStateException("invalid transition [follower -> leader]");
        }
        reset(term);
        lead = id;
        role = StateRole.LEADER;
        Progress self = tracker.progress(id);
        self.becomeReplicate();
        self.setRecentActive(true);
        // Conservatively assume the tail may hold an unapplied conf change.
        pendingConfIndex = log.lastIndex();
        // An entry of our own term: once committed, everything before it is known committed, and
        // reads may be served (see committedEntryInCurrentTerm).
        if (!appendEntries(List.of(Entry.getDefaultInstance()))) {
            throw new IllegalStateException("empty entry was dropped");
        }
    }

    private void reset(long newTerm) {
        if (term != newTerm) {
            term = newTerm;
            vote = 0;
            transferCampaignDeferred = false;
        }
        lead = 0;
        electionElapsed = 0;
        heartbeatElapsed = 0;
        resetRandomizedElectionTimeout();
        leadTransferee = 0;
        tracker.resetVotes();
        long next = log.lastIndex() + 1;
        long durable = log.stableLastIndex();
        for (long member : new ArrayList<>(tracker.all().keySet())) {
            Progress old = tracker.progress(member);
            Progress fresh = tracker.newProgress(next, old.learner());
            if (member == id) {
                fresh.setMatch(durable);
            }
            tracker.all().put(member, fresh);
        }
        pendingConfIndex = 0;
        uncommittedSize = 0;
        readOnly = new ReadOnly(readOnlyOption);
        pendingReadIndexMessages.clear();
    }

    void resetRandomizedElectionTimeout() {
        randomizedElectionTimeout = electionTimeout + random.nextInt(electionTimeout);
    }

    // ---- time ------------------------------------------------------------------------------

    void tick() {
        if (role == StateRole.LEADER) {
            tickHeartbeat();
        } else {
            tickElection();
        }
    }

    private void tickElection() {
        electionElapsed++;
        if (promotable() && electionElapsed >= randomizedElectionTimeout) {
            electionElapsed = 0;
            step(Message.newBuilder().setFrom(id).setType(MessageType.MsgHup).build());
        }
    }

    private void tickHeartbeat() {
        heartbeatElapsed++;
        electionElapsed++;
        if (electionElapsed >= electionTimeout) {
            electionElapsed = 0;
            if (checkQuorum) {
                step(Message.newBuilder().setFrom(id).setType(MessageType.MsgCheckQuorum).build());
            }
            // A transfer that did not finish within an election timeout is abandoned.
            if (role == StateRole.LEADER && leadTransferee != 0) {
                leadTransferee = 0;
            }
        }
        if (role != StateRole.LEADER) {
            return;
        }
        if (heartbeatElapsed >= heartbeatTimeout) {
            heartbeatElapsed = 0;
            step(Message.newBuilder().setFrom(id).setType(MessageType.MsgBeat).build());
        }
    }

    // ---- messages in -----------------------------------------------------------------------

    /**
     * Handles one message: first the term rules common to every role, then the role's handler.
     *
     * @throws ProposalDroppedException if a proposal cannot be accepted
     */
    void step(Message m) {
        if (m.getTerm() > term) {
            if (m.getType() == MessageType.MsgVote || m.getType() == MessageType.MsgPreVote) {
                boolean force = m.getContext().equals(CAMPAIGN_TRANSFER);
                boolean inLease = checkQuorum && lead != 0 && electionElapsed < electionTimeout;
                if (!force && inLease) {
                    // We heard from a live leader within the minimum election timeout: ignore the
                    // disruptive candidate (and do not adopt its term).
                    return;
                }
            }
            if (m.getType() == MessageType.MsgPreVote) {
                // a pre-vote never changes our term
            } else if (m.getType() == MessageType.MsgPreVoteResp && !m.getReject()) {
                // the future term of a granted pre-vote is ours once we campaign
            } else {
                MessageType t = m.getType();
                boolean fromLeader = t == MessageType.MsgApp || t == MessageType.MsgHeartbeat
                        || t == MessageType.MsgSnap;
                becomeFollower(m.getTerm(), fromLeader ? m.getFrom() : 0);
            }
        } else if (m.getTerm() < term && m.getTerm() != 0) {
            if ((checkQuorum || preVote)
                    && (m.getType() == MessageType.MsgHeartbeat || m.getType() == MessageType.MsgApp)) {
                // A stale leader (e.g. after a partition) learns our term from this and steps down;
                // with check-quorum or pre-vote it could otherwise never be told.
                send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MsgAppResp));
            } else if (m.getType() == MessageType.MsgPreVote) {
                send(Message.newBuilder().setTo(m.getFrom()).setTerm(term)
                        .setType(MessageType.MsgPreVoteResp).setReject(true));
            }
            return;
        }

        switch (m.getType()) {
            case MsgHup -> Election.hup(this, preVote ? Election.Kind.PRE_ELECTION : Election.Kind.ELECTION);
            case MsgVote, MsgPreVote -> Election.handleVoteRequest(this, m);
            default -> {
                switch (role) {
                    case FOLLOWER -> FollowerStep.step(this, m);
                    case PRE_CANDIDATE, CANDIDATE -> CandidateStep.step(this, m);
                    case LEADER -> LeaderStep.step(this, m);
                    default -> throw new IllegalStateException(role.toString());
                }
            }
        }
    }

    // ---- messages out ----------------------------------------------------------------------

    /**
     * Queues a message. The sender is this member unless set; vote messages carry an explicit
     * term; proposals and read requests carry none (they are forwarded, not part of any term);
     * everything else carries our term.
     */
    void send(Message.Builder m) {
        if (m.getFrom() == 0) {
            m.setFrom(id);
        }
        switch (m.getType()) {
            case MsgVote, MsgVoteResp, MsgPreVote, MsgPreVoteResp -> {
                if (m.getTerm() == 0) {
                    throw new IllegalStateException("term should be set when sending " + m.getType());
                }
            }
            case MsgProp, MsgReadIndex -> m.setTerm(0);
            default -> m.setTerm(term);
        }
        outbox.add(m.build());
    }

    // ---- log -------------------------------------------------------------------------------

    /**
     * Leader: stamps {@code es} with our term and the next indexes and appends them to the
     * unstable log. They count toward the commit quorum only once durable. Returns false (and
     * appends nothing) if the uncommitted-size limit would be exceeded.
     */
    boolean appendEntries(List<Entry> es) {
        long li = log.lastIndex();
        List<Entry> stamped = new ArrayList<>(es.size());
        for (int i = 0; i < es.size(); i++) {
            stamped.add(es.get(i).toBuilder().setTerm(term).setIndex(li + 1 + i).build());
        }
        long size = EntrySizes.payloadSize(stamped);
        if (uncommittedSize > 0 && size > 0 && uncommittedSize + size > maxUncommittedSize) {
            return false;
        }
        uncommittedSize += size;
        log.append(stamped);
        return true;
    }

    void reduceUncommittedSize(List<Entry> applied) {
        if (uncommittedSize == 0) {
            return;
        }
        uncommittedSize = Math.max(0, uncommittedSize - EntrySizes.payloadSize(applied));
    }

    /** Leader: commit what a quorum of durable copies holds (current-term entries only). */
    boolean maybeCommit() {
        return log.maybeCommit(tracker.committed(), term);
    }

    /**
     * The application made entries up to {@code (index, term)} durable. On the leader this is
     * what lets its own copy count toward the commit quorum.
     */
    void onLocalAppendDurable(long index, long entryTerm) {
        if (role != StateRole.LEADER || !log.matchTerm(index, entryTerm)) {
            return;
        }
        Progress self = tracker.progress(id);
        if (self != null && self.maybeUpdate(index) && maybeCommit()) {
            LeaderStep.onCommitAdvanced(this);
        }
    }

    /** Runs a transfer campaign deferred until the pending conf changes were applied. */
    void maybeRunDeferredTransferCampaign() {
        if (transferCampaignDeferred && !hasUnappliedConfChanges()) {
            transferCampaignDeferred = false;
            if (role == StateRole.FOLLOWER) {
                Election.hup(this, Election.Kind.TRANSFER);
            }
        }
    }

    /** Whether a conf change entry lies in {@code (applied, committed]}: campaigning must wait. */
    boolean hasUnappliedConfChanges() {
        long lo = log.applied() + 1;
        long hi = log.committed() + 1;
        if (lo >= hi) {
            return false;
        }
        try {
            for (Entry e : log.slice(Math.max(lo, log.firstIndex()), hi, Long.MAX_VALUE)) {
                if (e.getType() == EntryType.EntryConfChange) {
                    return true;
                }
            }
        } catch (CompactedException e) {
            return true;
        }
        return false;
    }

    /** Follower side of a snapshot; false if it is stale or already covered by the log. */
    boolean restore(Snapshot s) {
        long index = s.getMetadata().getIndex();
        if (index <= log.committed()) {
            return false;
        }
        if (role != StateRole.FOLLOWER) {
            becomeFollower(term + 1, 0);
            return false;
        }
        ConfState cs = s.getMetadata().getConfState();
        boolean brandNew = tracker.voters().isEmpty() && tracker.learners().isEmpty();
        if (!cs.getVotersList().contains(id) && !cs.getLearnersList().contains(id) && !brandNew) {
            // A snapshot of a configuration without us. A brand-new member (no configuration yet)
            // accepts it anyway: the entry adding it follows in the log.
            return false;
        }
        if (log.matchTerm(index, s.getMetadata().getTerm())) {
            log.commitTo(index); // we have the entries already: just fast-forward the commit
            return false;
        }
        log.restore(s);
        tracker.reset(cs, log.lastIndex() + 1);
        return true;
    }
}
