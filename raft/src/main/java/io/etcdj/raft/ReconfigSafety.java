package io.etcdj.raft;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Pure checks behind etcd's strict reconfiguration ({@code --strict-reconfig-check}): would a
 * membership change leave the group without an active quorum? "Active" is decided by the caller
 * (etcd uses the peer transport's "active since"), or taken from a leader's {@link Status}
 * (members heard from within the last check-quorum interval; the leader itself is active).
 */
public final class ReconfigSafety {
  /** etcd promotes a learner only once it holds 90% of the leader's log. */
  public static final double LEARNER_READY_FRACTION = 0.9;

  private ReconfigSafety() {}

  /**
   * Whether adding one more voter (not running yet) keeps an active quorum: the active voters
   * must be a majority of {@code voters.size() + 1}.
   */
  public static boolean canAddVoter(Collection<Long> voters, Collection<Long> activeVoters) {
    int active = countActive(voters, activeVoters, 0);
    return active >= MajorityQuorum.size(voters.size() + 1);
  }

  /** Whether removing {@code removed} leaves the remaining active voters a majority of the rest. */
  public static boolean canRemoveVoter(Collection<Long> voters, Collection<Long> activeVoters,
      long removed) {
    if (!voters.contains(removed)) {
      return true; // not a voter: quorum unchanged
    }
    int remaining = voters.size() - 1;
    if (remaining == 0) {
      return false;
    }
    return countActive(voters, activeVoters, removed) >= MajorityQuorum.size(remaining);
  }

  /** {@link #canAddVoter(Collection, Collection)} from a leader's status. */
  public static boolean canAddVoter(Status leaderStatus) {
    return canAddVoter(leaderStatus.config().getVotersList(), activeFrom(leaderStatus));
  }

  /** {@link #canRemoveVoter(Collection, Collection, long)} from a leader's status. */
  public static boolean canRemoveVoter(Status leaderStatus, long removed) {
    return canRemoveVoter(leaderStatus.config().getVotersList(), activeFrom(leaderStatus), removed);
  }

  /** Whether {@code learner} holds at least 90% of the leader's log (etcd's promotion rule). */
  public static boolean isLearnerReady(Status leaderStatus, long learner) {
    PeerProgress lp = leaderStatus.progress().get(learner);
    PeerProgress self = leaderStatus.progress().get(leaderStatus.id());
    if (lp == null || self == null || !lp.learner()) {
      return false;
    }
    return lp.match() >= (long) (self.match() * LEARNER_READY_FRACTION);
  }

  private static Set<Long> activeFrom(Status s) {
    Set<Long> active = new HashSet<>();
    for (Map.Entry<Long, PeerProgress> e : s.progress().entrySet()) {
      if (e.getKey() == s.id() || e.getValue().recentActive()) {
        active.add(e.getKey());
      }
    }
    return active;
  }

  private static int countActive(Collection<Long> voters, Collection<Long> active, long except) {
    int n = 0;
    for (long v : voters) {
      if (v != except && active.contains(v)) {
        n++;
      }
    }
    return n;
  }
}
