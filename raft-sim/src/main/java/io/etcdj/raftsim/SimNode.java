package io.etcdj.raftsim;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.raft.MemoryStorage;
import io.etcdj.raft.RaftConfig;
import io.etcdj.raft.RawNode;
import io.etcdj.raft.ReadState;
import io.etcdj.raft.Ready;
import io.etcdj.raft.StateRole;
import io.etcdj.raft.Status;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.HardState;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.raftsim.check.DurableLogChecker;
import io.etcdj.raftsim.check.InvariantViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * One simulated member: its "disk" (a {@link MemoryStorage} that changes only when the simulation
 * decides a persist completed, holding log, snapshot and hard state), the running {@link RawNode}
 * (null while crashed), and its volatile application state (applied index, running hash of what
 * it applied, configuration, ids it knows were removed).
 *
 * <p>Ready handling follows the contract with a single Ready in flight: when the node has a Ready
 * and none is outstanding, it is taken, its {@code messages} go to the network at once and a
 * persist completion is scheduled; when that fires, snapshot/entries/hard state are written to
 * disk, {@code messagesAfterPersist} are sent, the snapshot and committed entries are applied, and
 * the node advances. A crash before the persist completes loses the whole Ready.
 */
final class SimNode implements DurableLogChecker.DurableLog {
    final long id;
    final MemoryStorage disk = new MemoryStorage();
    private final Simulation sim;
    private final RaftKnobs knobs;

    RawNode raft;
    int incarnation;
    /**
     * Set once a member refused this one's message because it saw it removed: like an etcd server
     * told "the member has been permanently removed from the cluster", it has stopped for good and
     * is never restarted.
     */
    boolean retired;
    long pausedUntil;
    private Ready outstanding;

    // volatile application state
    long appliedIndex;
    private long appliedChain;
    ConfState confState = ConfState.getDefaultInstance();
    private Set<Long> removed = new TreeSet<>();

    /** Highest commit index written to disk whose prefix has been checked against the committed log. */
    private long checkedCommit;

    // cached from the last status() look, for choosing targets
    StateRole role = StateRole.FOLLOWER;
    long term;
    long lead;

    SimNode(Simulation sim, long id, RaftKnobs knobs) {
        this.sim = sim;
        this.id = id;
        this.knobs = knobs;
    }

    boolean running() {
        return raft != null;
    }

    /** True if the member is down but may be restarted (crashed, not retired). */
    boolean restartable() {
        return raft == null && !retired;
    }

    /** Starts (or restarts) the member from what is on its disk, with a fresh random source. */
    void start(SplittableRandom random) {
        if (sim.sabotage() == Sabotage.CORRUPT_ENTRY_ON_RESTART && incarnation > 0) {
            corruptLastCommittedEntry();
        }
        Snapshot snap = disk.snapshot();
        Payloads.AppSnapshot app = Payloads.AppSnapshot.decode(snap.getData());
        raft = new RawNode(knobs.applyTo(RaftConfig.builder())
                .id(id)
                .storage(disk)
                .applied(snap.getMetadata().getIndex())
                .random(random)
                .build());
        incarnation++;
        outstanding = null;
        restoreApplication(snap, app);
        checkedCommit = disk.hardState().getCommit();
        role = StateRole.FOLLOWER;
        lead = 0;
    }

    private void corruptLastCommittedEntry() {
        long commit = disk.hardState().getCommit();
        if (commit < disk.firstIndex()) {
            return;
        }
        List<Entry> tail = new ArrayList<>(disk.entries(commit, disk.lastIndex() + 1, Long.MAX_VALUE));
        tail.set(0, tail.get(0).toBuilder().setData(ByteString.copyFromUtf8("rot")).build());
        disk.append(tail);
    }

    /**
     * Loses everything not on disk: the RawNode, the outstanding Ready, the application state.
     * A crash in the middle of a write may leave a prefix of the outstanding Ready's new entries
     * on disk (a torn write: entries without the hard state, nothing acknowledged); {@code torn}
     * is how many of them made it. Returns a note for the trace.
     */
    String crash(int torn) {
        String note = "";
        Ready rd = outstanding;
        if (rd != null && rd.snapshot() == null && !rd.entries().isEmpty() && torn > 0) {
            int n = Math.min(torn, rd.entries().size());
            disk.append(rd.entries().subList(0, n));
            note = " (torn write: " + n + " of " + rd.entries().size() + " new entries reached the disk)";
        }
        raft = null;
        outstanding = null;
        pausedUntil = 0;
        incarnation++;
        role = StateRole.FOLLOWER;
        lead = 0;
        return note;
    }

    /** True while the process is stalled (GC pause, stuck disk): it handles nothing until it resumes. */
    boolean stalled(long now) {
        return pausedUntil > now;
    }

    /** True while a taken Ready with new entries waits for its persist to complete. */
    boolean writing() {
        return outstanding != null && !outstanding.entries().isEmpty();
    }

    boolean refusesMessagesFrom(long from) {
        return removed.contains(from);
    }

    /** Takes the next Ready if there is one and none is outstanding. */
    void pump() {
        if (raft == null || outstanding != null || !raft.hasReady()) {
            return;
        }
        Ready rd = raft.ready();
        outstanding = rd;
        if (rd.hardState() != null) {
            sim.observeCommit(rd.hardState().getCommit());
        }
        for (ReadState rs : rd.readStates()) {
            sim.reads.readAnswered(id, Payloads.readId(rs.requestCtx()), rs.index());
            sim.coverage.readsAnswered++;
        }
        for (Message m : rd.messages()) {
            checkMayCampaign(m);
            sim.network.send(this, m);
        }
        if (sim.sabotage() == Sabotage.ACK_BEFORE_PERSIST) {
            for (Message m : rd.messagesAfterPersist()) {
                sim.network.send(this, m);
            }
        }
        schedulePersist(rd, sim.now() + sim.persistLatency(rd));
    }

    private void schedulePersist(Ready taken, long at) {
        int token = incarnation;
        sim.schedule(at, new Event() {
            private String outcome = "";

            @Override
            void run() {
                if (incarnation != token || outstanding != taken) {
                    outcome = " (lost in a crash)";
                } else if (stalled(sim.now())) {
                    outcome = " (stalled; completes later)";
                    schedulePersist(taken, pausedUntil + sim.persistLatency(taken));
                } else {
                    persistAndApply(taken);
                }
            }

            @Override
            String describe() {
                return "persist n" + id + " " + ReadyText.of(taken) + outcome;
            }
        });
    }

    /** The outstanding Ready's writes completed: make them durable, then act on them. */
    void persistAndApply(Ready rd) {
        long verifyFrom = checkedCommit;
        if (rd.snapshot() != null) {
            long index = rd.snapshot().getMetadata().getIndex();
            disk.applySnapshot(rd.snapshot());
            verifyFrom = Math.min(verifyFrom, index);
        }
        if (!rd.entries().isEmpty()) {
            disk.append(rd.entries());
            verifyFrom = Math.min(verifyFrom, rd.entries().get(0).getIndex() - 1);
        }
        if (rd.hardState() != null) {
            disk.setHardState(rd.hardState());
        }
        long commit = disk.hardState().getCommit();
        if (commit < checkedCommit) {
            throw new InvariantViolation("committed-entry-lost",
                    "node " + id + " persisted commit index " + commit + " below its earlier durable commit " + checkedCommit);
        }
        sim.durable.verify(id, verifyFrom, commit, this);
        checkedCommit = commit;

        if (sim.sabotage() != Sabotage.ACK_BEFORE_PERSIST) {
            for (Message m : rd.messagesAfterPersist()) {
                checkMayCampaign(m);
                sim.network.send(this, m);
            }
        }
        if (rd.snapshot() != null) {
            restoreApplication(rd.snapshot(), Payloads.AppSnapshot.decode(rd.snapshot().getData()));
            sim.coverage.snapshotsInstalled++;
        }
        for (Entry e : rd.committedEntries()) {
            apply(e);
            if (raft == null) {
                return; // cannot happen today, but applying never resurrects a crashed node
            }
        }
        outstanding = null;
        raft.advance(rd);
        pump();
    }

    /** Only voters campaign: a learner or a node outside its own configuration never asks for votes. */
    private void checkMayCampaign(Message m) {
        MessageType t = m.getType();
        if ((t == MessageType.MsgVote || t == MessageType.MsgPreVote) && !confState.getVotersList().contains(id)) {
            throw new InvariantViolation("only-voters-campaign", "node " + id + " sent " + t + " for term "
                    + m.getTerm() + " while its configuration " + confState.getVotersList() + " learners "
                    + confState.getLearnersList() + " does not make it a voter");
        }
    }

    private void restoreApplication(Snapshot snap, Payloads.AppSnapshot app) {
        long index = snap.getMetadata().getIndex();
        if (app.index() != index) {
            throw new IllegalStateException("snapshot at " + index + " carries application state of " + app.index());
        }
        appliedIndex = index;
        appliedChain = app.chain();
        confState = snap.getMetadata().getConfState();
        removed = new TreeSet<>(app.removed());
        sim.applied.restored(id, index, appliedChain);
    }

    private void apply(Entry e) {
        long digest = Payloads.digest(e);
        appliedChain = sim.applied.applied(id, e.getIndex(), e.getTerm(), digest);
        appliedIndex = e.getIndex();
        if (e.getType() == EntryType.EntryConfChange) {
            ConfChange cc;
            try {
                cc = ConfChange.parseFrom(e.getData());
            } catch (InvalidProtocolBufferException ex) {
                throw new IllegalStateException("conf change entry " + e.getIndex() + " does not parse", ex);
            }
            confState = raft.applyConfChange(cc);
            if (cc.getType() == ConfChangeType.ConfChangeRemoveNode) {
                removed.add(cc.getNodeId());
            }
            sim.confChangeApplied(this, e.getIndex(), cc, confState);
        } else {
            sim.entryApplied(this, e);
        }
    }

    /** Snapshots the application at its applied index and compacts the disk, keeping {@code keep} entries. */
    String snapshotAndCompact(int keep) {
        long snapIndex = disk.snapshot().getMetadata().getIndex();
        if (appliedIndex <= snapIndex) {
            return "nothing new to snapshot";
        }
        Payloads.AppSnapshot app = new Payloads.AppSnapshot(appliedIndex, appliedChain, new TreeSet<>(removed));
        disk.createSnapshot(appliedIndex, confState, app.encode());
        long compactTo = appliedIndex - keep;
        if (compactTo >= disk.firstIndex()) {
            disk.compact(compactTo);
        }
        return "snapshot at " + appliedIndex + ", log now " + disk.firstIndex() + ".." + disk.lastIndex();
    }

    /**
     * The snapshot message as etcd's transport sends it: if this node has applied past the stored
     * snapshot raft chose, the snapshot is replaced by one of the current application state.
     */
    Message mergedSnapshotMessage(Message m) {
        long stored = m.getSnapshot().getMetadata().getIndex();
        if (appliedIndex <= stored) {
            return m;
        }
        Payloads.AppSnapshot app = new Payloads.AppSnapshot(appliedIndex, appliedChain, new TreeSet<>(removed));
        Snapshot merged = Snapshot.newBuilder()
                .setMetadata(m.getSnapshot().getMetadata().toBuilder()
                        .setIndex(appliedIndex)
                        .setTerm(disk.term(appliedIndex))
                        .setConfState(confState))
                .setData(app.encode())
                .build();
        return m.toBuilder().setSnapshot(merged).build();
    }

    /**
     * Refreshes the cached role/term/lead, feeds leadership to the election-safety checker and the
     * node's commit index to the read checker's "committed before the read began" bound.
     */
    void observe() {
        if (raft == null) {
            return;
        }
        Status st = raft.status();
        role = st.softState().role();
        lead = st.softState().lead();
        term = st.hardState().getTerm();
        sim.observeCommit(st.hardState().getCommit()); // known committed from now on, durable or not
        if (role == StateRole.LEADER) {
            sim.elections.observeLeader(id, term);
        }
    }

    boolean isVoter() {
        return confState.getVotersList().contains(id);
    }

    // DurableLogChecker.DurableLog over this node's disk

    @Override
    public long firstIndex() {
        return disk.firstIndex();
    }

    @Override
    public long lastIndex() {
        return disk.lastIndex();
    }

    @Override
    public void read(long lo, long hi, long[] terms, long[] digests) {
        List<Entry> entries = disk.entries(lo, hi + 1, Long.MAX_VALUE);
        for (int i = 0; i < entries.size(); i++) {
            terms[i] = entries.get(i).getTerm();
            digests[i] = Payloads.digest(entries.get(i));
        }
    }

    HardState durableHardState() {
        return disk.hardState();
    }
}
