package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.pb.MessageType;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Elections: randomized timeouts, pre-vote, check-quorum and the leader lease. */
class ElectionScenarioTest {

    private static Network electedThree(UnaryOperator<RaftConfig.Builder> cfg) {
        Network net = Network.builder().voters(1, 2, 3).configure(cfg).build();
        net.campaign(1);
        net.stabilize();
        assertThat(net.role(1)).isEqualTo(StateRole.LEADER);
        net.takeTrace();
        return net;
    }

    @Test
    void electionTimeoutIsRandomizedInElectionTickToTwiceElectionTick() {
        for (long seed = 0; seed < 200; seed++) {
            Network net = Network.builder().voters(1, 2).seed(seed).build();
            int ticks = 0;
            while (net.role(1) == StateRole.FOLLOWER && ticks < 100) {
                net.tick(1, 1);
                ticks++;
            }
            assertThat(ticks).as("seed %d", seed).isBetween(10, 19);
        }
    }

    @Test
    void singleVoterBecomesLeaderAtOnce() {
        Network net = Network.voters(1);
        net.campaign(1);
        net.stabilize();
        assertThat(net.role(1)).isEqualTo(StateRole.LEADER);
        net.propose(1, "solo");
        net.stabilize();
        assertThat(net.applied(1)).containsExactly("solo");
    }

    @Test
    void followerWithoutLeaderCampaignsAfterElectionTimeout() {
        Network net = Network.voters(1, 2, 3);
        net.tickAndStabilize(20);
        long leaders = net.nodes.keySet().stream().filter(id -> net.role(id) == StateRole.LEADER).count();
        assertThat(leaders).isEqualTo(1);
    }

    @Test
    void preVoteKeepsAPartitionedMemberFromRaisingItsTerm() {
        Network net = electedThree(b -> b);
        net.isolate(3);
        for (int i = 0; i < 100; i++) {
            net.tick(3, 1);
            net.stabilize();
        }
        assertThat(net.role(3)).isEqualTo(StateRole.PRE_CANDIDATE);
        assertThat(net.term(3)).isEqualTo(2);

        net.heal();
        net.tickAndStabilize(5);
        assertThat(net.role(1)).isEqualTo(StateRole.LEADER);
        assertThat(net.term(1)).isEqualTo(2);
        assertThat(net.leaderOf(3)).isEqualTo(1);
    }

    @Test
    void withoutPreVoteARejoiningMemberDisruptsTheLeader() {
        Network net = electedThree(b -> b.preVote(false).checkQuorum(false));
        net.isolate(3);
        for (int i = 0; i < 100; i++) {
            net.tick(3, 1);
            net.stabilize();
        }
        assertThat(net.term(3)).isGreaterThan(3);
        net.heal();
        net.tickAndStabilize(30); // 3 ignores the lower-term heartbeats and campaigns again
        assertThat(net.term(1)).as("the leader adopted the higher term").isGreaterThan(3);
    }

    @Test
    void checkQuorumMakesAnIsolatedLeaderStepDown() {
        Network net = electedThree(b -> b);
        net.isolate(1);
        // The first check (after electionTick ticks) still counts the followers heard during the
        // election; the second one finds no active quorum.
        for (int i = 0; i < 19; i++) {
            net.tick(1, 1);
            net.stabilize();
        }
        assertThat(net.role(1)).isEqualTo(StateRole.LEADER);
        net.tick(1, 1);
        assertThat(net.role(1)).isEqualTo(StateRole.FOLLOWER);
        assertThat(net.leaderOf(1)).isZero();
    }

    @Test
    void withoutCheckQuorumAnIsolatedLeaderStaysLeader() {
        Network net = electedThree(b -> b.checkQuorum(false));
        net.isolate(1);
        for (int i = 0; i < 30; i++) {
            net.tick(1, 1);
            net.stabilize();
        }
        assertThat(net.role(1)).isEqualTo(StateRole.LEADER);
    }

    @Test
    void votersInsideTheLeaderLeaseIgnoreVoteRequests() {
        Network net = electedThree(b -> b.preVote(false));
        net.campaign(3); // a disruptive candidate while 1 is a live leader
        net.stabilize();
        assertThat(net.takeTrace()).filteredOn(l -> l.contains("MsgVoteResp")).isEmpty();
        assertThat(net.raft(2).term).isEqualTo(2);
        assertThat(net.raft(2).vote).isEqualTo(1);
    }

    @Test
    void leaderStepsDownOnHigherTerm() {
        Network net = electedThree(b -> b.preVote(false).checkQuorum(false));
        net.isolate(1);
        net.campaign(2);
        net.stabilize();
        assertThat(net.role(2)).isEqualTo(StateRole.LEADER);
        assertThat(net.term(2)).isEqualTo(3);
        net.heal();
        net.tickAndStabilize(2);
        assertThat(net.role(1)).isEqualTo(StateRole.FOLLOWER);
        assertThat(net.leaderOf(1)).isEqualTo(2);
    }

    @Test
    void aVoteIsGrantedOncePerTermAndOnlyToUpToDateLogs() {
        Network net = Network.builder().voters(1, 2, 3)
                .log(1, 1).log(2, 1, 2).log(3, 1, 2)
                .term(1, 2).term(2, 2).term(3, 2)
                .configure(b -> b.preVote(false)).build();
        net.campaign(1); // 1's log (1/2) is behind 2 and 3 (2/3)
        net.stabilize();
        assertThat(net.takeTrace()).contains("2->1 MsgVoteResp term=3 reject", "3->1 MsgVoteResp term=3 reject");
        assertThat(net.role(1)).isEqualTo(StateRole.FOLLOWER);
        net.campaign(2);
        net.stabilize();
        assertThat(net.role(2)).isEqualTo(StateRole.LEADER);
        assertThat(net.log(1)).isEqualTo(net.log(2));
    }

    @Test
    void aLearnerNeverCampaigns() {
        Network net = Network.builder().voters(1, 2).learners(3).build();
        for (int i = 0; i < 100; i++) {
            net.tick(3, 1);
            net.stabilize();
        }
        net.campaign(3);
        net.stabilize();
        assertThat(net.role(3)).isEqualTo(StateRole.FOLLOWER);
        assertThat(net.term(3)).isEqualTo(1);
        assertThat(net.takeTrace()).isEmpty();
    }

    @Test
    void votesAndVoteRequestsWaitForPersistence() {
        Network net = Network.builder().voters(1, 2, 3).configure(b -> b.preVote(false)).build();
        net.campaign(1);
        Ready rd = net.node(1).ready();
        assertThat(rd.hardState().getTerm()).isEqualTo(2);
        assertThat(rd.hardState().getVote()).isEqualTo(1);
        assertThat(rd.mustSync()).isTrue();
        assertThat(rd.messages()).isEmpty();
        assertThat(rd.messagesAfterPersist()).extracting(m -> m.getType())
                .containsOnly(MessageType.MsgVote).hasSize(2);
        net.persist(1, rd);
        net.node(1).advance(rd);
        net.node(2).step(rd.messagesAfterPersist().get(0));
        Ready vote = net.node(2).ready();
        assertThat(vote.hardState().getVote()).isEqualTo(1);
        assertThat(vote.mustSync()).isTrue();
        assertThat(vote.messages()).isEmpty();
        assertThat(vote.messagesAfterPersist()).extracting(m -> m.getType()).containsExactly(MessageType.MsgVoteResp);
    }
}
