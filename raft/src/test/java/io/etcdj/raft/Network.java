package io.etcdj.raft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.HardState;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A test-only group of {@link RawNode}s over {@link MemoryStorage}s, connected by a queue of
 * messages, so that scenarios read like scripts:
 * {@code net.campaign(1); net.stabilize(); net.propose(1, "x"); net.stabilize();}.
 *
 * <p>Processing a node's Ready persists it to the node's storage (the "disk"), queues its
 * messages, applies committed entries to a toy state machine (a list of the data of normal
 * entries, and conf changes through {@link RawNode#applyConfChange}) and advances. Messages are
 * delivered in FIFO order unless a test delivers or drops them selectively. Every delivered
 * message is appended to a trace, rendered by {@link Describe#message}.
 *
 * <p>Each group starts from a snapshot at index 1, term 1 holding the configuration, with every
 * member in term 1: the first leader is of term 2 and its empty entry is at index 2.
 */
final class Network {
  /** The toy state machine of one member: applied normal entries by index. */
  static final class StateMachine {
    final TreeMap<Long, String> applied = new TreeMap<>();
    ConfState confState;

    List<String> values() {
      return new ArrayList<>(applied.values());
    }
  }

  final Map<Long, RawNode> nodes = new TreeMap<>();
  final Map<Long, MemoryStorage> storages = new TreeMap<>();
  final Map<Long, StateMachine> machines = new TreeMap<>();
  final Map<Long, List<ReadState>> readStates = new TreeMap<>();
  final Map<Long, RaftConfig> configs = new TreeMap<>();
  final List<Message> queue = new ArrayList<>();
  private final List<String> trace = new ArrayList<>();
  private final Set<Long> down = new HashSet<>();
  private final Set<String> cutLinks = new HashSet<>();
  private Predicate<Message> dropRule = m -> false;
  private Predicate<Message> holdRule = m -> false;
  /** Messages kept back by {@link #holdIf}: neither delivered nor reported lost. */
  final List<Message> held = new ArrayList<>();
  private final UnaryOperator<RaftConfig.Builder> configure;
  private final SplittableRandom random;

  private Network(UnaryOperator<RaftConfig.Builder> configure, long seed) {
    this.configure = configure;
    this.random = new SplittableRandom(seed);
  }

  // ---- construction ----------------------------------------------------------------------

  static Network voters(long... ids) {
    return builder().voters(ids).build();
  }

  static Builder builder() {
    return new Builder();
  }

  static final class Builder {
    private final List<Long> voters = new ArrayList<>();
    private final List<Long> learners = new ArrayList<>();
    private final Map<Long, long[]> logs = new TreeMap<>();
    private final Map<Long, Long> terms = new TreeMap<>();
    private UnaryOperator<RaftConfig.Builder> configure = b -> b;
    private long seed = 1;

    Builder voters(long... ids) {
      for (long id : ids) {
        voters.add(id);
      }
      return this;
    }

    Builder learners(long... ids) {
      for (long id : ids) {
        learners.add(id);
      }
      return this;
    }

    /** The terms of the entries from index 2 on in member {@code id}'s (already durable) log. */
    Builder log(long id, long... entryTerms) {
      logs.put(id, entryTerms);
      return this;
    }

    /** The persisted current term of member {@code id}. */
    Builder term(long id, long term) {
      terms.put(id, term);
      return this;
    }

    Builder configure(UnaryOperator<RaftConfig.Builder> configure) {
      this.configure = configure;
      return this;
    }

    Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    Network build() {
      Network net = new Network(configure, seed);
      ConfState cs = ConfState.newBuilder().addAllVoters(voters).addAllLearners(learners).build();
      List<Long> all = new ArrayList<>(voters);
      all.addAll(learners);
      for (long id : all) {
        MemoryStorage st = new MemoryStorage();
        st.applySnapshot(Snapshot.newBuilder().setMetadata(
            SnapshotMetadata.newBuilder().setIndex(1).setTerm(1).setConfState(cs)).build());
        long[] ts = logs.getOrDefault(id, new long[0]);
        List<Entry> ents = new ArrayList<>();
        for (int i = 0; i < ts.length; i++) {
          ents.add(Entry.newBuilder().setIndex(i + 2).setTerm(ts[i]).build());
        }
        st.append(ents);
        // the snapshot is of term 1, so every member is at least in term 1
        long term = terms.getOrDefault(id, 1L);
        st.setHardState(HardState.newBuilder().setTerm(term).setCommit(1).build());
        net.addMember(id, st, 1);
      }
      return net;
    }
  }

  /** Adds (or replaces, on restart) a member running over {@code st}, having applied {@code applied}. */
  void addMember(long id, MemoryStorage st, long applied) {
    RaftConfig.Builder b = RaftConfig.builder().id(id).storage(st).applied(applied)
        .random(new SplittableRandom(random.nextLong()));
    RaftConfig cfg = configure.apply(b).build();
    configs.put(id, cfg);
    storages.put(id, st);
    nodes.put(id, new RawNode(cfg));
    StateMachine sm = new StateMachine();
    sm.confState = st.initialState().confState();
    restoreMachine(sm, st.snapshot());
    machines.put(id, sm);
    readStates.put(id, new ArrayList<>());
    down.remove(id);
  }

  /** A brand-new member with an empty log (e.g. before it is added by a conf change). */
  void addEmptyMember(long id) {
    addMember(id, new MemoryStorage(), 0);
  }

  // ---- driving ---------------------------------------------------------------------------

  RawNode node(long id) {
    return nodes.get(id);
  }

  Raft raft(long id) {
    return nodes.get(id).raft();
  }

  void campaign(long id) {
    node(id).campaign();
  }

  void propose(long id, String data) {
    node(id).propose(ByteString.copyFromUtf8(data));
  }

  void proposeConfChange(long id, ConfChangeType type, long nodeId) {
    node(id).proposeConfChange(ConfChange.newBuilder().setType(type).setNodeId(nodeId).build());
  }

  void readIndex(long id, String ctx) {
    node(id).readIndex(ByteString.copyFromUtf8(ctx));
  }

  void tick(long id, int times) {
    for (int i = 0; i < times; i++) {
      node(id).tick();
    }
  }

  /** Ticks every live member once, in id order. */
  void tickAll() {
    for (long id : nodes.keySet()) {
      if (!down.contains(id)) {
        node(id).tick();
      }
    }
  }

  /** Handles one Ready of {@code id} if it has one: persist, queue messages, apply, advance. */
  boolean process(long id) {
    RawNode n = node(id);
    if (down.contains(id) || !n.hasReady()) {
      return false;
    }
    Ready rd = n.ready();
    persist(id, rd);
    queue.addAll(rd.messages());
    queue.addAll(rd.messagesAfterPersist());
    apply(id, rd);
    n.advance(rd);
    return true;
  }

  void persist(long id, Ready rd) {
    MemoryStorage st = storages.get(id);
    if (rd.snapshot() != null) {
      st.applySnapshot(rd.snapshot());
    }
    st.append(rd.entries());
    if (rd.hardState() != null) {
      st.setHardState(rd.hardState());
    }
  }

  void apply(long id, Ready rd) {
    StateMachine sm = machines.get(id);
    if (rd.snapshot() != null) {
      restoreMachine(sm, rd.snapshot());
    }
    for (Entry e : rd.committedEntries()) {
      if (e.getType() == EntryType.EntryConfChange) {
        try {
          sm.confState = node(id).applyConfChange(ConfChange.parseFrom(e.getData()));
        } catch (InvalidProtocolBufferException ex) {
          throw new IllegalStateException(ex);
        }
      } else if (!e.getData().isEmpty()) {
        sm.applied.put(e.getIndex(), e.getData().toStringUtf8());
      }
    }
    readStates.get(id).addAll(rd.readStates());
  }

  /** Delivers every message queued now (not those they cause); returns how many were delivered. */
  int deliverAll() {
    List<Message> batch = new ArrayList<>(queue);
    queue.clear();
    int n = 0;
    for (Message m : batch) {
      if (deliver(m)) {
        n++;
      }
    }
    return n;
  }

  /** Delivers one message unless its link is cut, its receiver is down or a drop rule matches. */
  boolean deliver(Message m) {
    if (holdRule.test(m)) {
      held.add(m);
      return false;
    }
    if (isDropped(m)) {
      lose(m);
      return false;
    }
    trace.add(Describe.message(m));
    node(m.getTo()).step(m);
    if (m.getType() == MessageType.MsgSnap) {
      reportSnapshot(m, SnapshotStatus.FINISH);
    }
    return true;
  }

  /** A message is lost; like a real transport, a lost snapshot is reported to its sender. */
  void lose(Message m) {
    if (m.getType() == MessageType.MsgSnap) {
      reportSnapshot(m, SnapshotStatus.FAILURE);
    }
  }

  private void reportSnapshot(Message m, SnapshotStatus status) {
    if (!down.contains(m.getFrom()) && nodes.containsKey(m.getFrom())) {
      node(m.getFrom()).reportSnapshot(m.getTo(), status);
    }
  }

  boolean isDropped(Message m) {
    return down.contains(m.getTo()) || down.contains(m.getFrom())
        || cutLinks.contains(m.getFrom() + "-" + m.getTo()) || dropRule.test(m)
        || !nodes.containsKey(m.getTo());
  }

  /** Processes Readies and delivers messages until nothing is left to do (no ticks). */
  void stabilize() {
    for (int round = 0; round < 10_000; round++) {
      boolean busy = false;
      for (long id : new ArrayList<>(nodes.keySet())) {
        while (process(id)) {
          busy = true;
        }
      }
      if (!queue.isEmpty()) {
        deliverAll();
        busy = true;
      }
      if (!busy) {
        return;
      }
    }
    throw new IllegalStateException("network did not stabilize");
  }

  /** Ticks everyone and stabilizes, {@code times} times. */
  void tickAndStabilize(int times) {
    for (int i = 0; i < times; i++) {
      tickAll();
      stabilize();
    }
  }

  // ---- faults ----------------------------------------------------------------------------

  /** Cuts every link between {@code id} and the others, both ways. */
  void isolate(long id) {
    for (long other : nodes.keySet()) {
      if (other != id) {
        cut(id, other);
      }
    }
  }

  /** Cuts both directions between every member of {@code a} and every member of {@code b}. */
  void partition(Set<Long> a, Set<Long> b) {
    for (long x : a) {
      for (long y : b) {
        cut(x, y);
      }
    }
  }

  void cut(long a, long b) {
    cutLinks.add(a + "-" + b);
    cutLinks.add(b + "-" + a);
  }

  void heal() {
    cutLinks.clear();
    dropRule = m -> false;
    holdRule = m -> false;
  }

  /** Keeps matching messages in {@link #held} (in flight for as long as the test wants). */
  void holdIf(Predicate<Message> rule) {
    this.holdRule = rule;
  }

  void dropIf(Predicate<Message> rule) {
    this.dropRule = rule;
  }

  /** Stops a member: its unpersisted state is lost, messages to and from it are dropped. */
  void crash(long id) {
    down.add(id);
  }

  /** Restarts a crashed member from what its storage holds. */
  void restart(long id) {
    MemoryStorage st = storages.get(id);
    addMember(id, st, st.snapshot().getMetadata().getIndex());
  }

  boolean isDown(long id) {
    return down.contains(id);
  }

  /** Snapshots member {@code id}'s state machine at its applied index and compacts its log there. */
  void compact(long id, long index) {
    StateMachine sm = machines.get(id);
    StringBuilder data = new StringBuilder();
    for (Map.Entry<Long, String> e : sm.applied.headMap(index, true).entrySet()) {
      data.append(e.getKey()).append(':').append(e.getValue()).append('\n');
    }
    MemoryStorage st = storages.get(id);
    st.createSnapshot(index, sm.confState, ByteString.copyFromUtf8(data.toString()));
    st.compact(index);
  }

  private static void restoreMachine(StateMachine sm, Snapshot s) {
    sm.applied.clear();
    sm.confState = s.getMetadata().getConfState();
    for (String line : s.getData().toStringUtf8().split("\n")) {
      if (!line.isEmpty()) {
        int c = line.indexOf(':');
        sm.applied.put(Long.parseLong(line.substring(0, c)), line.substring(c + 1));
      }
    }
  }

  // ---- observation -----------------------------------------------------------------------

  /** The delivered messages since the last call, one line each. */
  List<String> takeTrace() {
    List<String> out = new ArrayList<>(trace);
    trace.clear();
    return out;
  }

  /** Every entry of {@code id}'s log (durable and unstable) from its first index, rendered. */
  List<String> log(long id) {
    return raft(id).log.allEntries().stream().map(Describe::entry).toList();
  }

  List<String> applied(long id) {
    return machines.get(id).values();
  }

  StateRole role(long id) {
    return raft(id).role;
  }

  long term(long id) {
    return raft(id).term;
  }

  long committed(long id) {
    return raft(id).log.committed();
  }

  long leaderOf(long id) {
    return raft(id).lead;
  }

  /** Messages currently queued, rendered. */
  List<String> queued() {
    return queue.stream().map(Describe::message).toList();
  }

  static boolean isType(Message m, MessageType t) {
    return m.getType() == t;
  }

  SplittableRandom random() {
    return random;
  }
}
