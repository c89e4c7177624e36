package io.etcdj.robustness;

import io.etcdj.robustness.cluster.LocalCluster;
import io.etcdj.robustness.traffic.TrafficGenerator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every peer link delayed (fixed + random), one link dropping a share of its chunks, and a
 * follower frozen with SIGSTOP then thawed with SIGCONT: the cluster must stay correct and
 * converge once the network is clean again.
 */
class SlowNetworkPausedFollowerScenarioIT {

    @Test
    void slowLossyLinksAndAFrozenFollower() throws Exception {
        long seed = Long.getLong("robustness.seed", System.currentTimeMillis());
        ScenarioRun.Result r = ScenarioRun.run("slow net + SIGSTOP", seed, SlowNetworkPausedFollowerScenarioIT::degrade);
        KillLeaderScenarioIT.assertResult(r);
    }

    static void degrade(LocalCluster cluster, TrafficGenerator traffic, List<String> log) throws Exception {
        LocalCluster.await("some traffic", Duration.ofSeconds(15), () -> traffic.history().total() >= 150);
        for (LocalCluster.Node a : cluster.nodes()) {
            for (LocalCluster.Node b : cluster.nodes()) {
                if (a != b) {
                    cluster.network().link(a.name, b.name).delay(10, 40);
                }
            }
        }
        log.add("delay all links 10+40ms");
        LocalCluster.Node leader = cluster.awaitLeader(Duration.ofSeconds(10));
        LocalCluster.Node follower = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
        LocalCluster.Node other = cluster.nodes().stream().filter(n -> n != leader && n != follower).findFirst().orElseThrow();
        cluster.network().link(leader.name, other.name).dropChunks(0.02);
        log.add("drop 2% " + leader.name + "->" + other.name);
        int before = traffic.history().total();
        LocalCluster.await("traffic on the slow network", Duration.ofSeconds(15), () -> traffic.history().total() >= before + 100);

        cluster.pause(follower);
        log.add("SIGSTOP " + follower.name);
        int paused = traffic.history().total();
        LocalCluster.await("traffic with a frozen follower", Duration.ofSeconds(15), () -> traffic.history().total() >= paused + 100);
        cluster.resume(follower);
        log.add("SIGCONT");
        cluster.network().healAll();
        cluster.awaitServing(follower, Duration.ofSeconds(20));
        int after = traffic.history().total();
        LocalCluster.await("traffic after healing", Duration.ofSeconds(15), () -> traffic.history().total() >= after + 100);
    }
}
