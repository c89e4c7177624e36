package io.etcdj.raft;

import io.etcdj.raft.pb.Entry;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks the safety properties of the Raft paper (Figure 3) over a {@link Network}, after every
 * event of a schedule. Each property can be enabled on its own so that each has its own test.
 */
final class SafetyChecker {
  enum Property {
    ELECTION_SAFETY,
    LEADER_APPEND_ONLY,
    LOG_MATCHING,
    LEADER_COMPLETENESS,
    STATE_MACHINE_SAFETY,
    /** A read index is at least every commit index observed anywhere before the read was asked. */
    READ_INDEX_LINEARIZABLE
  }

  private final Network net;
  private final Set<Property> enabled = EnumSet.allOf(Property.class);
  /** term -> the one member that was leader in it. */
  private final Map<Long, Long> leaderOfTerm = new HashMap<>();
  /** member -> (term, log) it had at the last check while leader. */
  private final Map<Long, Object[]> leaderLogs = new HashMap<>();
  /** index -> {term of the entry, term in which it was first seen committed}. */
  private final TreeMap<Long, long[]> committed = new TreeMap<>();
  /** index -> data applied at that index by anyone. */
  private final Map<Long, String> appliedAt = new HashMap<>();
  private long checks;
  /** read context -> highest commit index observed anywhere when the read was issued. */
  private final Map<String, Long> readsIssued = new HashMap<>();
  private long readsAnswered;

  SafetyChecker(Network net) {
    this.net = net;
  }

  SafetyChecker only(Property p) {
    enabled.clear();
    enabled.add(p);
    return this;
  }

  long checks() {
    return checks;
  }

  long readsAnswered() {
    return readsAnswered;
  }

  /** Call just before a read is issued with context {@code ctx}. */
  void readIssued(String ctx) {
    readsIssued.put(ctx, committed.isEmpty() ? 0 : committed.lastKey());
  }

  void check() {
    checks++;
    for (long id : net.nodes.keySet()) {
      Raft r = net.raft(id);
      if (enabled.contains(Property.ELECTION_SAFETY) && r.role == StateRole.LEADER) {
        Long prev = leaderOfTerm.putIfAbsent(r.term, id);
        if (prev != null && prev != id) {
          throw new AssertionError("election safety: " + prev + " and " + id + " both led term " + r.term);
        }
      }
      recordCommitted(r);
    }
    if (enabled.contains(Property.LEADER_APPEND_ONLY)) {
      checkLeaderAppendOnly();
    }
    if (enabled.contains(Property.LOG_MATCHING)) {
      checkLogMatching();
    }
    if (enabled.contains(Property.LEADER_COMPLETENESS)) {
      checkLeaderCompleteness();
    }
    if (enabled.contains(Property.STATE_MACHINE_SAFETY)) {
      checkStateMachineSafety();
    }
    checkReads();
  }

  private void checkReads() {
    for (Map.Entry<Long, List<ReadState>> e : net.readStates.entrySet()) {
      for (ReadState rs : e.getValue()) {
        readsAnswered++;
        Long floor = readsIssued.get(rs.requestCtx().toStringUtf8());
        if (enabled.contains(Property.READ_INDEX_LINEARIZABLE) && floor != null && rs.index() < floor) {
          throw new AssertionError("read index: " + rs.requestCtx().toStringUtf8() + " answered at "
              + rs.index() + " on member " + e.getKey() + " but " + floor + " was committed before it was asked");
        }
      }
      e.getValue().clear();
    }
  }

  private void recordCommitted(Raft r) {
    RaftLog log = r.log;
    long from = Math.max(log.firstIndex(), committed.isEmpty() ? 0 : committed.lastKey() + 1);
    for (long i = from; i <= log.committed(); i++) {
      committed.putIfAbsent(i, new long[] {log.term(i), r.term});
    }
  }

  private void checkLeaderAppendOnly() {
    for (long id : net.nodes.keySet()) {
      Raft r = net.raft(id);
      if (r.role != StateRole.LEADER) {
        leaderLogs.remove(id);
        continue;
      }
      List<Entry> now = r.log.allEntries();
      Object[] prev = leaderLogs.get(id);
      if (prev != null && (long) prev[0] == r.term) {
        @SuppressWarnings("unchecked")
        List<Entry> before = (List<Entry>) prev[1];
        for (Entry e : before) {
          if (e.getIndex() < r.log.firstIndex()) {
            continue; // compacted, fine
          }
          if (!r.log.matchTerm(e.getIndex(), e.getTerm())
              || !r.log.slice(e.getIndex(), e.getIndex() + 1, Long.MAX_VALUE).get(0).equals(e)) {
            throw new AssertionError("leader append-only: leader " + id + " of term " + r.term
                + " lost or changed entry " + Describe.entry(e));
          }
        }
      }
      leaderLogs.put(id, new Object[] {r.term, now});
    }
  }

  private void checkLogMatching() {
    List<Long> ids = List.copyOf(net.nodes.keySet());
    for (int a = 0; a < ids.size(); a++) {
      for (int b = a + 1; b < ids.size(); b++) {
        RaftLog la = net.raft(ids.get(a)).log;
        RaftLog lb = net.raft(ids.get(b)).log;
        long lo = Math.max(la.firstIndex(), lb.firstIndex());
        long hi = Math.min(la.lastIndex(), lb.lastIndex());
        // find the highest common index with equal terms; everything before must be identical
        long top = 0;
        for (long i = hi; i >= lo; i--) {
          if (la.term(i) == lb.term(i)) {
            top = i;
            break;
          }
        }
        for (long i = lo; i <= top; i++) {
          Entry ea = la.slice(i, i + 1, Long.MAX_VALUE).get(0);
          Entry eb = lb.slice(i, i + 1, Long.MAX_VALUE).get(0);
          if (!ea.equals(eb)) {
            throw new AssertionError("log matching: members " + ids.get(a) + " and " + ids.get(b)
                + " agree at index " + top + " but differ at " + i + ": " + Describe.entry(ea)
                + " vs " + Describe.entry(eb));
          }
        }
      }
    }
  }

  private void checkLeaderCompleteness() {
    for (long id : net.nodes.keySet()) {
      Raft r = net.raft(id);
      if (r.role != StateRole.LEADER) {
        continue;
      }
      for (Map.Entry<Long, long[]> c : committed.entrySet()) {
        long index = c.getKey();
        long entryTerm = c.getValue()[0];
        long seenInTerm = c.getValue()[1];
        if (r.term <= seenInTerm || index < r.log.firstIndex()) {
          continue;
        }
        if (!r.log.matchTerm(index, entryTerm)) {
          throw new AssertionError("leader completeness: leader " + id + " of term " + r.term
              + " lacks entry " + entryTerm + "/" + index + " committed by term " + seenInTerm);
        }
      }
    }
  }

  private void checkStateMachineSafety() {
    for (long id : net.nodes.keySet()) {
      for (Map.Entry<Long, String> e : net.machines.get(id).applied.entrySet()) {
        String prev = appliedAt.putIfAbsent(e.getKey(), e.getValue());
        if (prev != null && !prev.equals(e.getValue())) {
          throw new AssertionError("state machine safety: index " + e.getKey() + " applied as "
              + prev + " and as " + e.getValue() + " (member " + id + ")");
        }
      }
    }
  }
}
