package io.etcdj.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.robustness.cluster.LocalCluster;
import io.etcdj.robustness.linearizability.LinearizabilityChecker;
import io.etcdj.robustness.traffic.TrafficGenerator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Steady load on three members; the leader is killed with SIGKILL, a new leader takes over, the
 * old leader restarts on its data dir and catches up. Nothing acknowledged may be lost.
 */
class KillLeaderScenarioIT {

    @Test
    void killLeaderUnderLoadAndRestartIt() throws Exception {
        long seed = Long.getLong("robustness.seed", System.currentTimeMillis());
        ScenarioRun.Result r = ScenarioRun.run("kill -9 leader", seed, KillLeaderScenarioIT::killAndRestartLeader);
        assertResult(r);
    }

    static void killAndRestartLeader(LocalCluster cluster, TrafficGenerator traffic, List<String> log) throws Exception {
        LocalCluster.await("some traffic", Duration.ofSeconds(15), () -> traffic.history().total() >= 150);
        LocalCluster.Node leader = cluster.awaitLeader(Duration.ofSeconds(10));
        cluster.kill(leader);
        log.add("kill -9 " + leader.name);
        LocalCluster.Node next = cluster.awaitLeader(Duration.ofSeconds(15));
        assertThat(next).isNotEqualTo(leader);
        int before = traffic.history().total();
        LocalCluster.await("traffic with the new leader", Duration.ofSeconds(15), () -> traffic.history().total() >= before + 150);
        cluster.restart(leader);
        log.add("restart " + leader.name);
        cluster.awaitServing(leader, Duration.ofSeconds(20));
        int after = traffic.history().total();
        LocalCluster.await("traffic after the restart", Duration.ofSeconds(15), () -> traffic.history().total() >= after + 150);
    }

    static void assertResult(ScenarioRun.Result r) {
        assertThat(r.lostAckedWrites()).as("acknowledged writes lost").isZero();
        assertThat(r.linearizability().verdict()).as("%s", r.linearizability())
                .isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE);
        assertThat(r.watchViolations()).as("watch guarantees").isEmpty();
        assertThat(r.converged()).as("same revision and HashKV on every member: %s", r.convergence()).isTrue();
        assertThat(r.progressViolations()).as("applied index and revision: never backwards, agreed at the end").isEmpty();
    }
}
