package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.pb.MessageType;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Linearizable reads: ReadIndex confirmed by one heartbeat round, or by the lease. */
class ReadIndexTest {

    private static Network leaderWithOneEntry(UnaryOperator<RaftConfig.Builder> cfg) {
        Network net = Network.builder().voters(1, 2, 3).configure(cfg).build();
        net.campaign(1);
        net.stabilize();
        net.propose(1, "x");
        net.stabilize();
        net.takeTrace();
        return net;
    }

    @Test
    void safeReadsQueuedTogetherAreConfirmedByOneHeartbeatRound() {
        Network net = leaderWithOneEntry(b -> b);
        net.readIndex(1, "r1");
        net.readIndex(1, "r2");
        net.readIndex(1, "r3");
        assertThat(net.readStates.get(1L)).isEmpty();
        net.stabilize();
        assertThat(net.takeTrace()).containsExactly(
                "1->2 MsgHeartbeat term=2 commit=3 ctx=\"r3\"",
                "1->3 MsgHeartbeat term=2 commit=3 ctx=\"r3\"",
                "2->1 MsgHeartbeatResp term=2 ctx=\"r3\"",
                "3->1 MsgHeartbeatResp term=2 ctx=\"r3\"");
        assertThat(net.readStates.get(1L)).extracting(rs -> rs.requestCtx().toStringUtf8() + "@" + rs.index())
                .containsExactly("r1@3", "r2@3", "r3@3");
    }

    @Test
    void aLeaderCutOffFromItsQuorumAnswersNoRead() {
        Network net = leaderWithOneEntry(b -> b);
        net.isolate(1);
        net.readIndex(1, "stale?");
        net.stabilize();
        net.tick(1, 3);
        net.stabilize();
        assertThat(net.readStates.get(1L)).isEmpty();
    }

    @Test
    void oneAckBesidesTheLeaderIsAQuorumOfThree() {
        Network net = leaderWithOneEntry(b -> b);
        net.isolate(3);
        net.readIndex(1, "r");
        net.stabilize();
        assertThat(net.readStates.get(1L)).extracting(ReadState::index).containsExactly(3L);
    }

    @Test
    void aFollowerForwardsReadsToTheLeader() {
        Network net = leaderWithOneEntry(b -> b);
        net.readIndex(2, "f");
        net.stabilize();
        assertThat(net.takeTrace()).containsExactly(
                "2->1 MsgReadIndex term=0 entries=[0/0 EntryNormal \"f\"]",
                "1->2 MsgHeartbeat term=2 commit=3 ctx=\"f\"",
                "1->3 MsgHeartbeat term=2 commit=3 ctx=\"f\"",
                "2->1 MsgHeartbeatResp term=2 ctx=\"f\"",
                "3->1 MsgHeartbeatResp term=2 ctx=\"f\"",
                "1->2 MsgReadIndexResp term=2 index=3 entries=[0/0 EntryNormal \"f\"]");
        assertThat(net.readStates.get(2L)).extracting(rs -> rs.requestCtx().toStringUtf8() + "@" + rs.index())
                .containsExactly("f@3");
        assertThat(net.readStates.get(1L)).isEmpty();
    }

    @Test
    void aNewLeaderAnswersReadsOnlyAfterCommittingAnEntryOfItsTerm() {
        Network net = Network.voters(1, 2, 3);
        net.dropIf(m -> m.getType() == MessageType.MsgApp); // the leader's empty entry is stuck
        net.campaign(1);
        net.stabilize();
        assertThat(net.role(1)).isEqualTo(StateRole.LEADER);
        net.readIndex(1, "early");
        net.stabilize();
        assertThat(net.readStates.get(1L)).as("commit index 1 predates this term").isEmpty();

        net.heal();
        net.tickAndStabilize(2); // heartbeats resume the probes; the empty entry commits
        assertThat(net.committed(1)).isEqualTo(2);
        assertThat(net.readStates.get(1L)).extracting(ReadState::index).containsExactly(2L);
    }

    @Test
    void leaseBasedReadsNeedNoRoundTrip() {
        Network net = leaderWithOneEntry(b -> b.readOnlyOption(ReadOnlyOption.LEASE_BASED));
        net.readIndex(1, "lease");
        net.stabilize();
        assertThat(net.takeTrace()).isEmpty();
        assertThat(net.readStates.get(1L)).extracting(ReadState::index).containsExactly(3L);
    }

    @Test
    void aSingleVoterAnswersAtOnce() {
        Network net = Network.voters(1);
        net.campaign(1);
        net.stabilize();
        net.readIndex(1, "solo");
        net.stabilize();
        assertThat(net.readStates.get(1L)).extracting(ReadState::index).containsExactly(2L);
    }

    @Test
    void readsWithoutALeaderAreDroppedSilently() {
        Network net = Network.voters(1, 2, 3);
        net.readIndex(2, "nobody");
        net.stabilize();
        assertThat(net.takeTrace()).isEmpty();
        assertThat(net.readStates.get(2L)).isEmpty();
    }
}
