package io.etcdj.raft;

import static io.etcdj.raft.pb.ConfChangeType.ConfChangeAddLearnerNode;
import static io.etcdj.raft.pb.ConfChangeType.ConfChangeAddNode;
import static io.etcdj.raft.pb.ConfChangeType.ConfChangeRemoveNode;
import static io.etcdj.raft.pb.ConfChangeType.ConfChangeUpdateNode;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.pb.ConfState;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Membership changes (one at a time, applied on commit) and learners. */
class MembershipTest {

  private static Network elected(Network net) {
    net.campaign(1);
    net.stabilize();
    assertThat(net.role(1)).isEqualTo(StateRole.LEADER);
    net.takeTrace();
    return net;
  }

  private static ConfState conf(long[] voters, long... learners) {
    ConfState.Builder b = ConfState.newBuilder();
    for (long v : voters) {
      b.addVoters(v);
    }
    for (long l : learners) {
      b.addLearners(l);
    }
    return b.build();
  }

  @Test
  void addAVoterThatStartsWithAnEmptyLog() {
    Network net = elected(Network.voters(1, 2, 3));
    net.propose(1, "before");
    net.stabilize();
    net.addEmptyMember(4);
    net.proposeConfChange(1, ConfChangeAddNode, 4);
    net.stabilize();
    assertThat(net.node(1).status().config()).isEqualTo(conf(new long[] {1, 2, 3, 4}));
    // the log starts after a compacted snapshot: 4 catches up from it, then from the log
    assertThat(net.takeTrace()).anyMatch(l -> l.startsWith("1->4 MsgSnap"));
    assertThat(net.applied(4)).containsExactly("before");
    assertThat(net.machines.get(4L).confState).isEqualTo(conf(new long[] {1, 2, 3, 4}));
    // quorum is now 3 of 4: with 3 and 4 cut off nothing commits
    net.isolate(3);
    net.isolate(4);
    net.propose(1, "needs three");
    net.stabilize();
    assertThat(net.applied(1)).doesNotContain("needs three");
    net.heal();
    net.tickAndStabilize(3);
    assertThat(net.applied(1)).contains("needs three");
  }

  @Test
  void learnersReplicateButDoNotCountTowardTheQuorum() {
    Network net = elected(Network.builder().voters(1, 2).learners(3).build());
    net.propose(1, "a");
    net.stabilize();
    assertThat(net.applied(3)).containsExactly("a");
    net.isolate(2);
    net.propose(1, "b");
    net.stabilize();
    assertThat(net.log(3)).contains("2/4 EntryNormal \"b\"");
    assertThat(net.committed(1)).as("the learner's copy does not count").isEqualTo(3);
  }

  @Test
  void aLearnerIsPromotedByAddingItAsAVoter() {
    Network net = elected(Network.builder().voters(1, 2).learners(3).build());
    net.proposeConfChange(1, ConfChangeAddNode, 3);
    net.stabilize();
    for (long id = 1; id <= 3; id++) {
      assertThat(net.machines.get(id).confState).isEqualTo(conf(new long[] {1, 2, 3}));
    }
    assertThat(net.raft(3).promotable()).isTrue();
    // now 3 counts: with 2 cut off, 1 and 3 commit
    net.isolate(2);
    net.propose(1, "with 3");
    net.stabilize();
    assertThat(net.applied(3)).containsExactly("with 3");
  }

  @Test
  void addingAVoterAsALearnerIsIgnored() {
    Network net = elected(Network.voters(1, 2, 3));
    net.proposeConfChange(1, ConfChangeAddLearnerNode, 2);
    net.stabilize();
    assertThat(net.machines.get(1L).confState).isEqualTo(conf(new long[] {1, 2, 3}));
  }

  @Test
  void aSecondConfChangeWhileOneIsPendingBecomesAnEmptyEntry() {
    Network net = elected(Network.voters(1, 2, 3));
    net.proposeConfChange(1, ConfChangeAddLearnerNode, 4);
    net.proposeConfChange(1, ConfChangeAddLearnerNode, 5);
    assertThat(net.log(1)).containsExactly(
        "2/2 EntryNormal", "2/3 EntryConfChange AddLearnerNode 4", "2/4 EntryNormal");
    net.stabilize();
    assertThat(net.machines.get(1L).confState).isEqualTo(conf(new long[] {1, 2, 3}, 4));
    // once applied, the next change is accepted
    net.proposeConfChange(1, ConfChangeAddLearnerNode, 5);
    net.stabilize();
    assertThat(net.machines.get(1L).confState).isEqualTo(conf(new long[] {1, 2, 3}, 4, 5));
  }

  @Test
  void aNewLeaderTreatsItsWholeTailAsAPossiblyPendingConfChange() {
    Network net = elected(Network.builder().voters(1, 2, 3).configure(b -> b.checkQuorum(false)).build());
    assertThat(net.raft(1).pendingConfIndex).isEqualTo(1);
    net.isolate(2);
    net.isolate(3);
    net.proposeConfChange(1, ConfChangeAddLearnerNode, 4); // cannot commit
    net.stabilize();
    net.heal();
    net.isolate(1);
    net.campaign(2);
    net.stabilize();
    assertThat(net.role(2)).isEqualTo(StateRole.LEADER);
    assertThat(net.raft(2).pendingConfIndex).isEqualTo(net.raft(2).log.lastIndex() - 1);
  }

  @Test
  void removingAFollowerShrinksTheQuorum() {
    Network net = elected(Network.voters(1, 2, 3));
    net.proposeConfChange(1, ConfChangeRemoveNode, 3);
    net.stabilize();
    assertThat(net.machines.get(1L).confState).isEqualTo(conf(new long[] {1, 2}));
    assertThat(net.raft(3).promotable()).as("a removed member never campaigns").isFalse();
    net.crash(3);
    net.propose(1, "two of two");
    net.stabilize();
    assertThat(net.applied(2)).containsExactly("two of two");
  }

  @Test
  void aRemovedLeaderStepsDownAndHandsOverAtOnce() {
    Network net = elected(Network.voters(1, 2, 3));
    net.proposeConfChange(1, ConfChangeRemoveNode, 1);
    net.stabilize();
    assertThat(net.role(1)).isEqualTo(StateRole.FOLLOWER);
    assertThat(net.takeTrace()).anyMatch(l -> l.matches("1->[23] MsgTimeoutNow.*"));
    long newLeader = net.role(2) == StateRole.LEADER ? 2 : 3;
    assertThat(net.role(newLeader)).isEqualTo(StateRole.LEADER);
    net.propose(newLeader, "after removal");
    net.stabilize();
    assertThat(net.applied(2)).contains("after removal");
    assertThat(net.applied(3)).contains("after removal");
  }

  @Test
  void updateNodeChangesNothingInRaft() {
    Network net = elected(Network.voters(1, 2, 3));
    net.proposeConfChange(1, ConfChangeUpdateNode, 2);
    net.stabilize();
    assertThat(net.machines.get(1L).confState).isEqualTo(conf(new long[] {1, 2, 3}));
  }

  @Test
  void strictReconfigCheckFromTheLeadersStatus() {
    Network net = elected(Network.voters(1, 2, 3));
    net.tickAndStabilize(2);
    Status st = net.node(1).status();
    assertThat(ReconfigSafety.canAddVoter(st)).isTrue();
    assertThat(ReconfigSafety.canRemoveVoter(st, 3)).isTrue();
    // 3 and 2 stop answering: after a check-quorum interval they are no longer active
    net.crash(3);
    net.tickAndStabilize(10);
    st = net.node(1).status();
    assertThat(st.progress().get(3L).recentActive()).isFalse();
    assertThat(ReconfigSafety.canAddVoter(st)).as("2 active of 4 is no quorum").isFalse();
    assertThat(ReconfigSafety.canRemoveVoter(st, 2)).as("would leave 1 active of 2").isFalse();
    assertThat(ReconfigSafety.canRemoveVoter(st, 3)).as("removing the dead one is fine").isTrue();
    assertThat(ReconfigSafety.canAddVoter(Set.of(1L, 2L, 3L), Set.of(1L, 2L, 3L))).isTrue();
  }

  @Test
  void aLearnerIsReadyForPromotionOnceItHoldsNinetyPercentOfTheLog() {
    Network net = elected(Network.builder().voters(1, 2).learners(3).build());
    net.isolate(3);
    for (int i = 0; i < 10; i++) {
      net.propose(1, "e" + i);
    }
    net.stabilize();
    assertThat(ReconfigSafety.isLearnerReady(net.node(1).status(), 3)).isFalse();
    net.heal();
    net.tickAndStabilize(3);
    assertThat(ReconfigSafety.isLearnerReady(net.node(1).status(), 3)).isTrue();
    assertThat(ReconfigSafety.isLearnerReady(net.node(1).status(), 2)).as("not a learner").isFalse();
  }
}
