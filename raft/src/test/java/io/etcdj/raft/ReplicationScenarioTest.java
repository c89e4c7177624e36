package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicationScenarioTest {

  @Test
  void electionThenProposalFullTrace() {
    Network net = Network.voters(1, 2, 3);
    net.campaign(1);
    net.stabilize();
    assertThat(net.takeTrace()).containsExactly(
        "1->2 MsgPreVote term=2 logTerm=1 index=1",
        "1->3 MsgPreVote term=2 logTerm=1 index=1",
        "2->1 MsgPreVoteResp term=2 granted",
        "3->1 MsgPreVoteResp term=2 granted",
        "1->2 MsgVote term=2 logTerm=1 index=1",
        "1->3 MsgVote term=2 logTerm=1 index=1",
        "2->1 MsgVoteResp term=2 granted",
        "3->1 MsgVoteResp term=2 granted",
        "1->2 MsgApp term=2 logTerm=1 index=1 commit=1 entries=[2/2 EntryNormal]",
        "1->3 MsgApp term=2 logTerm=1 index=1 commit=1 entries=[2/2 EntryNormal]",
        "2->1 MsgAppResp term=2 index=2",
        "3->1 MsgAppResp term=2 index=2",
        "1->2 MsgApp term=2 logTerm=2 index=2 commit=2",
        "1->3 MsgApp term=2 logTerm=2 index=2 commit=2",
        "2->1 MsgAppResp term=2 index=2",
        "3->1 MsgAppResp term=2 index=2");
    assertThat(net.role(1)).isEqualTo(StateRole.LEADER);

    net.propose(1, "x");
    net.stabilize();
    assertThat(net.takeTrace()).containsExactly(
        "1->2 MsgApp term=2 logTerm=2 index=2 commit=2 entries=[2/3 EntryNormal \"x\"]",
        "1->3 MsgApp term=2 logTerm=2 index=2 commit=2 entries=[2/3 EntryNormal \"x\"]",
        "2->1 MsgAppResp term=2 index=3",
        "3->1 MsgAppResp term=2 index=3",
        "1->2 MsgApp term=2 logTerm=2 index=3 commit=3",
        "1->3 MsgApp term=2 logTerm=2 index=3 commit=3",
        "2->1 MsgAppResp term=2 index=3",
        "3->1 MsgAppResp term=2 index=3");
    for (long id = 1; id <= 3; id++) {
      assertThat(net.log(id)).containsExactly("2/2 EntryNormal", "2/3 EntryNormal \"x\"");
      assertThat(net.applied(id)).containsExactly("x");
      assertThat(net.committed(id)).isEqualTo(3);
    }
  }
}
