package io.etcdj.raftsim;

import io.etcdj.raft.Peer;
import io.etcdj.raft.Ready;
import io.etcdj.raft.StateRole;
import io.etcdj.raft.Status;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raftsim.check.AppliedSequenceChecker;
import io.etcdj.raftsim.check.CommittedLog;
import io.etcdj.raftsim.check.DurableLogChecker;
import io.etcdj.raftsim.check.ElectionSafetyChecker;
import io.etcdj.raftsim.check.InvariantViolation;
import io.etcdj.raftsim.check.LinearizableReadChecker;
import io.etcdj.raftsim.check.LivenessChecker;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One seed's run: a 3- or 5-member raft group driven by a single seeded random source through
 * rounds of chaos (faults from the {@link Nemesis}, load from {@link ClientLoad}) and healing.
 * Everything is single-threaded and in simulated time, so a seed always replays identically.
 *
 * <p>Invariants are checked as the history unfolds: election safety after every event (each
 * touched node's role), durable committed prefixes after every persist, the applied sequence on
 * every apply, ReadIndex answers when they arrive, "only voters campaign" on every vote request
 * sent, and liveness after every heal.
 */
public final class Simulation {
    private final long seed;
    private final SimulationConfig config;
    private final SplittableRandom random;
    private final Trace trace;
    private final EventQueue queue = new EventQueue();
    private final TreeMap<Long, SimNode> nodes = new TreeMap<>();
    private final List<SimNode> touched = new ArrayList<>();
    final Network network;
    private final Nemesis nemesis;
    private final ClientLoad clients;

    final CommittedLog committedLog = new CommittedLog();
    final AppliedSequenceChecker applied = new AppliedSequenceChecker(committedLog);
    final DurableLogChecker durable = new DurableLogChecker(committedLog);
    final ElectionSafetyChecker elections = new ElectionSafetyChecker();
    final LinearizableReadChecker reads = new LinearizableReadChecker();
    private final LivenessChecker liveness;

    private final int initialSize;
    private final RaftKnobs knobs;
    private long now;
    private long events;
    private long highestKnownCommit;
    private long livenessRound = -1;
    final Coverage coverage = new Coverage();

    /** The configuration as of the highest conf-change index applied anywhere. */
    private ConfState committedConf = ConfState.getDefaultInstance();
    private long committedConfIndex;
    private final Set<Long> everMember = new TreeSet<>();

    public Simulation(long seed, SimulationConfig config, Trace trace) {
        this.seed = seed;
        this.config = config;
        this.trace = trace;
        this.random = new SplittableRandom(seed);
        this.initialSize = random.nextBoolean() ? 3 : 5;
        this.knobs = RaftKnobs.draw(random);
        this.network = new Network(this, random.split());
        this.nemesis = new Nemesis(this, random.split());
        this.clients = new ClientLoad(this, random.split());
        // Without pre-vote a member with a stale log can win the election-timeout race and disrupt
        // each election (about one round in three with three voters), as in etcd; so the bound is at
        // least 20 election timeouts, to keep a run of such rounds from reading as a liveness bug.
        this.liveness = new LivenessChecker(Math.max(config.livenessBoundMillis(),
                20L * knobs.electionTick() * SimulationConfig.TICK_MILLIS));
    }

    /** A run whose trace keeps only the tail needed for a failure report. */
    public static SimulationResult run(long seed, SimulationConfig config) {
        return new Simulation(seed, config, Trace.tail(config.traceTail())).run();
    }

    /** A run that hands every trace line to {@code sink} as it happens. */
    public static SimulationResult runTraced(long seed, SimulationConfig config, Consumer<String> sink) {
        return new Simulation(seed, config, Trace.full(config.traceTail(), sink)).run();
    }

    public static int initialSize(long seed) {
        return new SplittableRandom(seed).nextBoolean() ? 3 : 5;
    }

    public SimulationResult run() {
        try {
            setUp();
            for (int round = 1; round <= config.rounds(); round++) {
                trace.note(now, "round " + round + ": chaos for " + config.chaosMillis() + "ms");
                nemesis.start();
                runUntil(now + config.chaosMillis());
                nemesis.stop();
                heal(round);
            }
            return new SimulationResult(seed, initialSize, events, now, null, List.of(), finalCoverage());
        } catch (InvariantViolation v) {
            trace.note(now, "VIOLATION " + v.getMessage());
            return new SimulationResult(seed, initialSize, events, now, v.getMessage(), trace.tailLines(), finalCoverage());
        } catch (RuntimeException | AssertionError e) {
            StringBuilder where = new StringBuilder();
            StackTraceElement[] frames = e.getStackTrace();
            for (int i = 0; i < Math.min(5, frames.length); i++) {
                where.append(i == 0 ? " at " : " < ").append(frames[i]);
            }
            trace.note(now, "EXCEPTION " + e + where);
            return new SimulationResult(seed, initialSize, events, now, "unexpected exception: " + e + where,
                    trace.tailLines(), finalCoverage());
        }
    }

    private Coverage finalCoverage() {
        coverage.leaders = elections.termsWithLeader();
        coverage.committed = committedLog.highestIndex();
        return coverage;
    }

    private void setUp() {
        trace.note(now, "seed " + seed + ": " + initialSize + " members, " + knobs);
        List<Peer> peers = new ArrayList<>();
        for (long id = 1; id <= initialSize; id++) {
            peers.add(Peer.of(id));
        }
        for (long id = 1; id <= initialSize; id++) {
            SimNode node = addNode(id);
            node.raft.bootstrap(peers);
            touched(node);
        }
        settleTouched();
        clients.start();
    }

    private SimNode addNode(long id) {
        SimNode node = new SimNode(this, id, knobs);
        nodes.put(id, node);
        node.start(random.split());
        scheduleTicks(node);
        return node;
    }

    /** Heals every fault, restarts every crashed member, and demands progress within the bound. */
    private void heal(int round) {
        network.healAll();
        for (SimNode node : nodes.values()) {
            node.pausedUntil = Math.min(node.pausedUntil, now);
            if (node.restartable()) {
                restart(node);
            }
        }
        settleTouched();
        liveness.healed(now);
        trace.note(now, "round " + round + ": all faults healed; a new proposal must commit by t="
                + liveness.deadline() + "ms");
        livenessRound = round;
        clients.probeLiveness(round);
        while (!liveness.satisfied()) {
            step();
            try {
                liveness.check(now);
            } catch (InvariantViolation v) {
                throw new InvariantViolation(v.invariant(), v.getMessage().substring(v.invariant().length() + 2)
                        + "; members: " + describeMembers());
            }
        }
        trace.note(now, "round " + round + ": marker committed");
        livenessRound = -1;
    }

    /** Each node's role, term, commit, applied index and configuration, and the leader's view of its peers. */
    private String describeMembers() {
        StringBuilder s = new StringBuilder();
        for (SimNode n : nodes.values()) {
            s.append("\n      n").append(n.id);
            if (n.retired) {
                s.append(" retired (a member refused it as removed)");
                continue;
            }
            if (!n.running()) {
                s.append(" down");
                continue;
            }
            Status st = n.raft.status();
            s.append(' ').append(st.softState().role()).append(" term=").append(st.hardState().getTerm())
                    .append(" lead=").append(st.softState().lead()).append(" commit=").append(st.hardState().getCommit())
                    .append(" applied=").append(n.appliedIndex).append(" log=").append(n.disk.firstIndex()).append("..")
                    .append(n.disk.lastIndex()).append(" voters=").append(st.config().getVotersList())
                    .append(" learners=").append(st.config().getLearnersList());
            st.progress().forEach((id, pr) -> s.append("\n        progress n").append(id).append(": ").append(pr));
        }
        return s.toString();
    }

    private void runUntil(long until) {
        while (queue.peekTime() <= until) {
            step();
        }
        now = Math.max(now, until);
    }

    private void step() {
        Event event = queue.poll();
        if (event == null) {
            throw new IllegalStateException("nothing left to simulate");
        }
        now = event.time;
        event.run();
        events++;
        trace.record(event);
        settleTouched();
    }

    /** Lets every node an event touched take its next Ready, and checks who is leader. */
    private void settleTouched() {
        for (int i = 0; i < touched.size(); i++) {
            SimNode node = touched.get(i);
            node.pump();
            node.observe();
        }
        touched.clear();
    }

    // ---- services for nodes, network, clients and nemesis ----

    Sabotage sabotage() {
        return config.sabotage();
    }

    long now() {
        return now;
    }

    void schedule(long time, Event event) {
        queue.schedule(time, event);
    }

    void touched(SimNode node) {
        if (!touched.contains(node)) {
            touched.add(node);
        }
    }

    SimNode node(long id) {
        return nodes.get(id);
    }

    Iterable<SimNode> nodes() {
        return nodes.values();
    }

    /** Nodes that are up and not stalled: the ones clients and the nemesis can talk to. */
    List<SimNode> runningNodes() {
        List<SimNode> running = new ArrayList<>();
        for (SimNode n : nodes.values()) {
            if (n.running() && !n.stalled(now)) {
                running.add(n);
            }
        }
        return running;
    }

    /** The running node that believes it leads the highest term, or null. */
    SimNode leader() {
        SimNode best = null;
        for (SimNode n : nodes.values()) {
            if (n.running() && !n.stalled(now) && n.role == StateRole.LEADER && (best == null || n.term > best.term)) {
                best = n;
            }
        }
        return best;
    }

    boolean livenessPending(long round) {
        return livenessRound == round && !liveness.satisfied();
    }

    long highestKnownCommit() {
        return highestKnownCommit;
    }

    void observeCommit(long commit) {
        highestKnownCommit = Math.max(highestKnownCommit, commit);
    }

    long persistLatency(Ready rd) {
        if (rd.nothingToPersist()) {
            return random.nextInt(2);
        }
        return random.nextInt(20) == 0 ? 20 + random.nextInt(100) : 1 + random.nextInt(8);
    }

    /** Crashes the node; half of the crashes tear the write in progress, if any. Returns a note for the trace. */
    String crash(SimNode node) {
        coverage.crashes++;
        return node.crash(random.nextBoolean() ? 1 + random.nextInt(4) : 0);
    }

    /**
     * Stops a removed member for good, as an etcd server does when a peer answers its message with
     * "the member has been permanently removed from the cluster". Left running, a removed member
     * that never learned of its removal keeps campaigning (without pre-vote, at ever higher terms)
     * and can take the vote of a lagging voter every term, which etcd's server never lets happen.
     */
    void retire(SimNode node) {
        if (node.retired) {
            return;
        }
        node.retired = true;
        if (node.running()) {
            node.crash(0);
        }
        trace.note(now, "n" + node.id + " stops for good: a member refused its message as from a removed member");
    }

    void restart(SimNode node) {
        node.start(random.split());
        scheduleTicks(node);
        touched(node);
    }

    /** A fresh member id for an add, or a created-but-never-admitted one; -1 if ids ran out. */
    long spareOrNewMember() {
        for (SimNode n : nodes.values()) {
            if (!everMember.contains(n.id) && n.id > initialSize) {
                return n.id;
            }
        }
        long id = nodes.lastKey() + 1;
        if (id >= Network.MAX_IDS || nodes.size() >= initialSize + 5) {
            return -1;
        }
        addNode(id);
        return id;
    }

    ConfState committedConf() {
        return committedConf;
    }

    void entryApplied(SimNode node, Entry e) {
        if (livenessRound >= 0 && Payloads.isMarker(e.getData(), livenessRound)) {
            liveness.progressed();
        }
    }

    void confChangeApplied(SimNode node, long index, ConfChange cc, ConfState cs) {
        if (index > committedConfIndex) {
            committedConfIndex = index;
            committedConf = cs;
            coverage.confChanges++;
            everMember.addAll(cs.getVotersList());
            everMember.addAll(cs.getLearnersList());
        }
    }

    private void scheduleTicks(SimNode node) {
        long drift = Math.floorMod(node.id * 7 + seed, 11) - 5; // each node's clock runs a little fast or slow
        scheduleTick(node, node.incarnation, drift, now + 1 + random.nextInt((int) SimulationConfig.TICK_MILLIS));
    }

    private void scheduleTick(SimNode node, int token, long drift, long at) {
        schedule(at, new Event() {
            @Override
            void run() {
                if (node.incarnation != token || !node.running()) {
                    return;
                }
                long next = now + SimulationConfig.TICK_MILLIS + drift + random.nextInt(7) - 3;
                if (node.stalled(now)) {
                    scheduleTick(node, token, drift, Math.max(next, node.pausedUntil + 1)); // ticks missed while stalled
                    return;
                }
                node.raft.tick();
                touched(node);
                scheduleTick(node, token, drift, next);
            }

            @Override
            String describe() {
                return "tick n" + node.id;
            }
        });
    }
}
