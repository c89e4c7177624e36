package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.SafetyChecker.Property;
import org.junit.jupiter.api.Test;

/**
 * The five safety properties of the Raft paper (Figure 3), each checked after every event of
 * seeded random schedules (reordering, loss, partitions, crashes, compaction). A failure names
 * the seed; replay one with {@code -Draft.seed=<seed>}.
 */
class RaftPaperPropertiesTest {
  private static final int EVENTS = 3000;

  private static long[] seeds() {
    String one = System.getProperty("raft.seed");
    if (one != null) {
      return new long[] {Long.parseLong(one)};
    }
    return new long[] {1, 2, 3, 4, 5, 6, 7, 8};
  }

  private static void runAll(Property property) {
    long reads = 0;
    for (long seed : seeds()) {
      RandomSchedule s = new RandomSchedule(seed, 5);
      s.checker().only(property);
      try {
        s.run(EVENTS);
        s.settle();
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(property + " failed with seed " + seed
            + " (replay: mvn -pl raft package -Dtest=RaftPaperPropertiesTest -Draft.seed=" + seed + ")"
            + s.describe(), e);
      }
      assertThat(s.checker().checks()).isGreaterThan(EVENTS);
      reads += s.checker().readsAnswered();
    }
    assertThat(reads).as("reads answered").isPositive();
  }

  @Test
  void electionSafety_atMostOneLeaderPerTerm() {
    runAll(Property.ELECTION_SAFETY);
  }

  @Test
  void leaderAppendOnly_aLeaderNeverOverwritesOrDeletesItsEntries() {
    runAll(Property.LEADER_APPEND_ONLY);
  }

  @Test
  void logMatching_sameIndexAndTermMeansIdenticalPrefix() {
    runAll(Property.LOG_MATCHING);
  }

  @Test
  void leaderCompleteness_committedEntriesAreInEveryLaterLeader() {
    runAll(Property.LEADER_COMPLETENESS);
  }

  @Test
  void readIndexIsNeverBelowACommitObservedBeforeTheRead() {
    runAll(Property.READ_INDEX_LINEARIZABLE);
  }

  @Test
  void stateMachineSafety_noTwoMembersApplyDifferentEntriesAtOneIndex() {
    runAll(Property.STATE_MACHINE_SAFETY);
  }
}
