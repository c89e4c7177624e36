package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Proposals: forwarding, dropping, batching, size limits. */
class ProposalTest {

    private static Network elected(UnaryOperator<RaftConfig.Builder> cfg) {
        Network net = Network.builder().voters(1, 2, 3).configure(cfg).build();
        net.campaign(1);
        net.stabilize();
        net.takeTrace();
        return net;
    }

    @Test
    void aFollowerForwardsProposalsToTheLeader() {
        Network net = elected(b -> b);
        net.propose(3, "via 3");
        net.stabilize();
        assertThat(net.takeTrace()).startsWith(
                "3->1 MsgProp term=0 entries=[0/0 EntryNormal \"via 3\"]",
                "1->2 MsgApp term=2 logTerm=2 index=2 commit=2 entries=[2/3 EntryNormal \"via 3\"]");
        assertThat(net.applied(3)).containsExactly("via 3");
    }

    @Test
    void proposalsWithoutALeaderAreDropped() {
        Network net = Network.voters(1, 2, 3);
        assertThatThrownBy(() -> net.propose(2, "x"))
                .isInstanceOf(ProposalDroppedException.class).hasMessage("raft proposal dropped");
        net.campaign(1); // 1 is a candidate (pre-candidate) now
        assertThatThrownBy(() -> net.propose(1, "x")).isInstanceOf(ProposalDroppedException.class);
    }

    @Test
    void proposalsAreDroppedWhenForwardingIsDisabled() {
        Network net = elected(b -> b.disableProposalForwarding(true));
        assertThatThrownBy(() -> net.propose(2, "x")).isInstanceOf(ProposalDroppedException.class);
        net.propose(1, "at the leader");
        net.stabilize();
        assertThat(net.applied(2)).containsExactly("at the leader");
    }

    @Test
    void proposalsBeyondTheUncommittedSizeLimitAreDropped() {
        Network net = elected(b -> b.maxUncommittedEntriesSize(10));
        net.isolate(2);
        net.isolate(3);
        net.propose(1, "12345678"); // 8 bytes
        assertThatThrownBy(() -> net.propose(1, "abcdefgh")).isInstanceOf(ProposalDroppedException.class);
        net.propose(1, "12"); // still fits: 10
        net.heal();
        net.tickAndStabilize(3);
        assertThat(net.applied(1)).containsExactly("12345678", "12");
        net.propose(1, "a larger proposal than the limit"); // nothing uncommitted: always accepted
        net.stabilize();
        assertThat(net.applied(2)).hasSize(3);
    }

    @Test
    void proposalsQueuedBehindAFullWindowGoOutInOneAppend() {
        Network net = elected(b -> b.maxInflightMsgs(1));
        net.propose(1, "a");
        net.propose(1, "b");
        net.propose(1, "c");
        net.propose(1, "d");
        net.stabilize();
        assertThat(net.takeTrace()).contains(
                "1->2 MsgApp term=2 logTerm=2 index=2 commit=2 entries=[2/3 EntryNormal \"a\"]",
                "1->2 MsgApp term=2 logTerm=2 index=3 commit=3 entries=[2/4 EntryNormal \"b\", 2/5 EntryNormal \"c\", 2/6 EntryNormal \"d\"]");
        assertThat(net.applied(2)).containsExactly("a", "b", "c", "d");
    }

    @Test
    void appendsAreCutAtMaxSizePerMsg() {
        Network net = elected(b -> b.maxSizePerMsg(20));
        net.isolate(2);
        for (int i = 0; i < 6; i++) {
            net.propose(1, "payload-" + i); // ~14 bytes per entry
        }
        net.stabilize();
        net.heal();
        net.takeTrace();
        net.tickAndStabilize(2);
        assertThat(net.takeTrace()).filteredOn(l -> l.startsWith("1->2 MsgApp") && l.contains("entries"))
                .allMatch(l -> l.split("EntryNormal").length - 1 <= 1);
        assertThat(net.applied(2)).hasSize(6);
    }

    @Test
    void theLeaderPipelinesAppendsWithoutWaitingForAcks() {
        Network net = elected(b -> b);
        net.propose(1, "a");
        net.propose(1, "b");
        net.stabilize();
        assertThat(net.takeTrace()).startsWith(
                "1->2 MsgApp term=2 logTerm=2 index=2 commit=2 entries=[2/3 EntryNormal \"a\"]",
                "1->3 MsgApp term=2 logTerm=2 index=2 commit=2 entries=[2/3 EntryNormal \"a\"]",
                "1->2 MsgApp term=2 logTerm=2 index=3 commit=2 entries=[2/4 EntryNormal \"b\"]",
                "1->3 MsgApp term=2 logTerm=2 index=3 commit=2 entries=[2/4 EntryNormal \"b\"]");
    }

    @Test
    void anUnreachableFollowerIsProbedInsteadOfPipelined() {
        Network net = elected(b -> b);
        net.propose(1, "a");
        net.stabilize();
        assertThat(net.node(1).status().progress().get(2L).state()).isEqualTo(ProgressState.REPLICATE);
        net.node(1).reportUnreachable(2);
        assertThat(net.node(1).status().progress().get(2L).state()).isEqualTo(ProgressState.PROBE);
        net.propose(1, "b");
        net.propose(1, "c");
        net.process(1);
        assertThat(net.queued()).filteredOn(l -> l.startsWith("1->2 MsgApp")).hasSize(1);
        net.stabilize();
        assertThat(net.node(1).status().progress().get(2L).state()).isEqualTo(ProgressState.REPLICATE);
        assertThat(net.applied(2)).containsExactly("a", "b", "c");
    }
}
