package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Leadership transfer: MsgTransferLeader / MsgTimeoutNow, catch-up first, timeout. */
class LeaderTransferTest {

    private static Network elected() {
        Network net = Network.voters(1, 2, 3);
        net.campaign(1);
        net.stabilize();
        net.takeTrace();
        return net;
    }

    @Test
    void transferToAnUpToDateFollower() {
        Network net = elected();
        net.node(1).transferLeader(2);
        net.stabilize();
        assertThat(net.takeTrace()).startsWith(
                "1->2 MsgTimeoutNow term=2",
                "2->1 MsgVote term=3 logTerm=2 index=2 ctx=\"CampaignTransfer\"",
                "2->3 MsgVote term=3 logTerm=2 index=2 ctx=\"CampaignTransfer\"");
        assertThat(net.role(2)).isEqualTo(StateRole.LEADER);
        assertThat(net.term(2)).isEqualTo(3);
        assertThat(net.leaderOf(1)).isEqualTo(2);
        assertThat(net.leaderOf(3)).isEqualTo(2);
    }

    @Test
    void aLaggingTransfereeIsCaughtUpBeforeMsgTimeoutNow() {
        Network net = elected();
        net.isolate(3);
        net.propose(1, "missed by 3");
        net.stabilize();
        net.heal();
        net.node(1).transferLeader(3);
        net.stabilize();
        List<String> trace = net.takeTrace();
        int app = indexOf(trace, "1->3 MsgApp");
        int timeoutNow = indexOf(trace, "1->3 MsgTimeoutNow");
        assertThat(app).isNotNegative().isLessThan(timeoutNow);
        assertThat(net.role(3)).isEqualTo(StateRole.LEADER);
        assertThat(net.applied(3)).containsExactly("missed by 3");
    }

    @Test
    void proposalsAreDroppedWhileATransferIsUnderWay() {
        Network net = elected();
        net.isolate(3);
        net.node(1).transferLeader(3);
        net.stabilize();
        assertThat(net.node(1).status().leadTransferee()).isEqualTo(3);
        assertThatThrownBy(() -> net.propose(1, "x"))
                .isInstanceOf(ProposalDroppedException.class)
                .hasMessage("raft proposal dropped");
    }

    @Test
    void aTransferThatDoesNotCompleteWithinAnElectionTimeoutIsAborted() {
        Network net = elected();
        net.isolate(3);
        net.node(1).transferLeader(3);
        net.stabilize();
        for (int i = 0; i < 9; i++) {
            net.tick(1, 1);
            net.stabilize();
        }
        assertThat(net.node(1).status().leadTransferee()).isEqualTo(3);
        net.tick(1, 1);
        assertThat(net.node(1).status().leadTransferee()).isZero();
        assertThat(net.role(1)).isEqualTo(StateRole.LEADER);
        net.propose(1, "accepted again");
        net.stabilize();
        assertThat(net.applied(2)).containsExactly("accepted again");
    }

    @Test
    void aFollowerForwardsTheTransferRequestToTheLeader() {
        Network net = elected();
        net.node(3).transferLeader(3);
        net.stabilize();
        assertThat(net.takeTrace()).startsWith("3->1 MsgTransferLeader term=2", "1->3 MsgTimeoutNow term=2");
        assertThat(net.role(3)).isEqualTo(StateRole.LEADER);
    }

    @Test
    void transferToALearnerOrToTheLeaderItselfIsIgnored() {
        Network net = Network.builder().voters(1, 2).learners(3).build();
        net.campaign(1);
        net.stabilize();
        net.node(1).transferLeader(3);
        net.node(1).transferLeader(1);
        net.stabilize();
        assertThat(net.node(1).status().leadTransferee()).isZero();
        assertThat(net.role(1)).isEqualTo(StateRole.LEADER);
    }

    private static int indexOf(List<String> trace, String prefix) {
        for (int i = 0; i < trace.size(); i++) {
            if (trace.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
