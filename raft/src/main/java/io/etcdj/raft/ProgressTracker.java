package io.etcdj.raft;

import io.etcdj.raft.pb.ConfState;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The group configuration (voters and learners) with the leader's {@link Progress} of every
 * member and the votes of the current election.
 *
 * <p>Invariants: voters and learners are disjoint; every voter and learner has a Progress and
 * nobody else has one; only voters count toward any quorum.
 */
final class ProgressTracker {
  private final TreeSet<Long> voters = new TreeSet<>();
  private final TreeSet<Long> learners = new TreeSet<>();
  private final TreeMap<Long, Progress> progress = new TreeMap<>();
  private final Map<Long, Boolean> votes = new HashMap<>();
  private final int maxInflight;
  private final long maxInflightBytes;

  ProgressTracker(int maxInflight, long maxInflightBytes) {
    this.maxInflight = maxInflight;
    this.maxInflightBytes = maxInflightBytes;
  }

  TreeSet<Long> voters() {
    return voters;
  }

  TreeSet<Long> learners() {
    return learners;
  }

  Progress progress(long id) {
    return progress.get(id);
  }

  boolean isVoter(long id) {
    return voters.contains(id);
  }

  boolean isSingleton() {
    return voters.size() == 1 && learners.isEmpty();
  }

  /** Every member (voters and learners) in id order. The visitor must not add or remove members. */
  void forEach(BiConsumer<Long, Progress> visitor) {
    progress.forEach(visitor);
  }

  Map<Long, Progress> all() {
    return progress;
  }

  ConfState confState() {
    return ConfState.newBuilder().addAllVoters(voters).addAllLearners(learners).build();
  }

  Progress newProgress(long next, boolean learner) {
    return new Progress(0, Math.max(next, 1), new Inflights(maxInflight, maxInflightBytes), learner);
  }

  /** Adds (or promotes to) a voter; a new member starts probing at {@code next}. */
  void addVoter(long id, long next) {
    learners.remove(id);
    voters.add(id);
    Progress pr = progress.get(id);
    if (pr == null) {
      pr = newProgress(next, false);
      pr.setRecentActive(true); // give the new member a check-quorum interval to show up
      progress.put(id, pr);
    }
    pr.setLearner(false);
  }

  /** Adds a learner. A voter cannot be demoted this way: the change is ignored. */
  boolean addLearner(long id, long next) {
    if (voters.contains(id)) {
      return false;
    }
    learners.add(id);
    progress.computeIfAbsent(id, k -> {
      Progress pr = newProgress(next, true);
      pr.setRecentActive(true);
      return pr;
    });
    return true;
  }

  void remove(long id) {
    voters.remove(id);
    learners.remove(id);
    progress.remove(id);
  }

  /** Replaces the whole configuration (snapshot restore or start-up). */
  void reset(ConfState cs, long next) {
    voters.clear();
    learners.clear();
    progress.clear();
    for (long id : cs.getVotersList()) {
      addVoter(id, next);
    }
    for (long id : cs.getLearnersList()) {
      addLearner(id, next);
    }
  }

  /** Largest index durable on a majority of voters. */
  long committed() {
    return MajorityQuorum.committedIndex(voters, id -> {
      Progress pr = progress.get(id);
      return pr == null ? 0 : pr.match();
    });
  }

  void resetVotes() {
    votes.clear();
  }

  /** Records a vote (first one per member wins) and returns the tally. */
  VoteResult recordVote(long id, boolean granted) {
    votes.putIfAbsent(id, granted);
    return MajorityQuorum.voteResult(voters, votes);
  }

  int grantedVotes() {
    int n = 0;
    for (Boolean v : votes.values()) {
      if (v) {
        n++;
      }
    }
    return n;
  }

  /** Whether a majority of voters was recently active ({@code self} always counts). */
  boolean quorumActive(long self) {
    Map<Long, Boolean> active = new HashMap<>();
    for (long id : voters) {
      Progress pr = progress.get(id);
      active.put(id, id == self || (pr != null && pr.recentActive()));
    }
    return MajorityQuorum.voteResult(voters, active) == VoteResult.WON;
  }
}
