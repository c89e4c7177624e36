package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Majority arithmetic, the inflight window and per-follower progress transitions. */
class QuorumAndProgressTest {

  @Test
  void committedIndexIsTheMajorityThLargestAck() {
    Map<Long, Long> acks = Map.of(1L, 5L, 2L, 3L, 3L, 9L, 4L, 1L, 5L, 3L);
    assertThat(MajorityQuorum.committedIndex(Set.of(1L, 2L, 3L, 4L, 5L), acks::get)).isEqualTo(3);
    assertThat(MajorityQuorum.committedIndex(Set.of(1L, 3L), acks::get)).isEqualTo(5);
    assertThat(MajorityQuorum.committedIndex(Set.of(4L), acks::get)).isEqualTo(1);
    assertThat(MajorityQuorum.committedIndex(Set.of(), acks::get)).isZero();
  }

  @Test
  void voteResults() {
    Set<Long> five = Set.of(1L, 2L, 3L, 4L, 5L);
    assertThat(MajorityQuorum.voteResult(five, Map.of(1L, true, 2L, true))).isEqualTo(VoteResult.PENDING);
    assertThat(MajorityQuorum.voteResult(five, Map.of(1L, true, 2L, true, 3L, true))).isEqualTo(VoteResult.WON);
    assertThat(MajorityQuorum.voteResult(five, Map.of(1L, false, 2L, false, 3L, false))).isEqualTo(VoteResult.LOST);
    assertThat(MajorityQuorum.voteResult(Set.of(1L, 2L), Map.of(1L, true, 9L, true)))
        .as("non-voters do not count").isEqualTo(VoteResult.PENDING);
  }

  @Test
  void inflightsFillUpAndFreeInOrder() {
    Inflights in = new Inflights(3, 0);
    in.add(2, 10);
    in.add(4, 10);
    in.add(7, 10);
    assertThat(in.full()).isTrue();
    assertThatThrownBy(() -> in.add(8, 1)).isInstanceOf(IllegalStateException.class);
    in.freeLE(4);
    assertThat(in.count()).isEqualTo(1);
    in.add(9, 1);
    in.add(12, 1); // wraps around the ring
    assertThat(in.full()).isTrue();
    in.freeFirstOne();
    assertThat(in.count()).isEqualTo(2);
    in.freeLE(100);
    assertThat(in.count()).isZero();
  }

  @Test
  void inflightsAreAlsoBoundedByBytes() {
    Inflights in = new Inflights(10, 100);
    in.add(1, 60);
    assertThat(in.full()).isFalse();
    in.add(2, 50);
    assertThat(in.full()).isTrue();
  }

  @Test
  void probeSendsOneMessageAtATimeAndReplicatePipelines() {
    Progress pr = new Progress(0, 5, new Inflights(2, 0), false);
    assertThat(pr.state()).isEqualTo(ProgressState.PROBE);
    pr.sentEntries(1, 5, 10);
    assertThat(pr.isPaused()).isTrue();
    assertThat(pr.maybeUpdate(5)).isTrue();
    assertThat(pr.isPaused()).isFalse();
    pr.becomeReplicate();
    assertThat(pr.next()).isEqualTo(6);
    pr.sentEntries(2, 7, 10);
    pr.sentEntries(1, 8, 10);
    assertThat(pr.next()).isEqualTo(9);
    assertThat(pr.isPaused()).as("window of 2 full").isTrue();
  }

  @Test
  void rejectionsMoveNextBackUnlessStale() {
    Progress pr = new Progress(3, 10, new Inflights(4, 0), false);
    assertThat(pr.maybeDecrTo(8, 8)).as("probe answered for another index: stale").isFalse();
    assertThat(pr.maybeDecrTo(9, 5)).isTrue();
    assertThat(pr.next()).isEqualTo(6);
    pr.maybeUpdate(5);
    pr.becomeReplicate();
    pr.sentEntries(3, 9, 1);
    assertThat(pr.maybeDecrTo(4, 4)).as("rejected below match: stale").isFalse();
    assertThat(pr.maybeDecrTo(8, 2)).isTrue();
    assertThat(pr.next()).isEqualTo(6);
  }

  @Test
  void aFinishedSnapshotResumesProbingAfterIt() {
    Progress pr = new Progress(3, 4, new Inflights(4, 0), false);
    pr.becomeSnapshot(20);
    assertThat(pr.isPaused()).isTrue();
    pr.becomeProbe();
    assertThat(pr.next()).isEqualTo(21);
  }
}
