package io.etcdj.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.robustness.cluster.LocalCluster;
import io.etcdj.robustness.traffic.TrafficGenerator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3: kill -9 a follower (the other two go on), then kill -9 two members at once (the
 * survivor accepts no write; the traffic is held meanwhile, see {@link TrafficGenerator#pause}),
 * and bring them back. Scenario 4: kill -9 every member mid-load,
 * several times (twice in the short run; round after round with -Drobustness.duration), and
 * restart them all on their data dirs. Nothing acknowledged may be lost either way.
 */
class KillMembersScenarioIT {
    private static final Duration BACK = Duration.ofSeconds(90); // JVM members restarting on a busy machine

    @Test
    void killAFollowerThenTwoMembers() throws Exception {
        long seed = Long.getLong("robustness.seed", System.currentTimeMillis());
        Duration duration = RobustnessDuration.get(Duration.ZERO);
        ScenarioRun.Options options = new ScenarioRun.Options(duration.plus(Duration.ofMinutes(8)), 1_000_000, 150,
                Map.of(), false);
        ScenarioRun.Result r = ScenarioRun.run("kill -9 1 then 2", seed, options, (cluster, traffic, log) -> {
            long end = System.nanoTime() + duration.toNanos();
            do {
                killFollowerThenTwo(cluster, traffic, log);
            } while (System.nanoTime() < end);
        });
        KillLeaderScenarioIT.assertResult(r);
    }

    @Test
    void killEveryMemberMidLoadRepeatedly() throws Exception {
        long seed = Long.getLong("robustness.seed", System.currentTimeMillis());
        Duration duration = RobustnessDuration.get(Duration.ZERO);
        ScenarioRun.Options options = new ScenarioRun.Options(duration.plus(Duration.ofMinutes(8)), 1_000_000, 150,
                Map.of("snapshot-count", "500"), false);
        ScenarioRun.Result r = ScenarioRun.run("kill -9 all", seed, options, (cluster, traffic, log) -> {
            long end = System.nanoTime() + duration.toNanos();
            int times = 0;
            do {
                killAll(cluster, traffic, log);
                times++;
            } while (times < 2 || System.nanoTime() < end);
        });
        KillLeaderScenarioIT.assertResult(r);
    }

    static void killFollowerThenTwo(LocalCluster cluster, TrafficGenerator traffic, List<String> log) throws Exception {
        awaitTraffic(traffic, 100, "some traffic");
        LocalCluster.Node leader = cluster.awaitLeader(BACK);
        LocalCluster.Node follower = cluster.nodes().stream().filter(n -> n != leader).findFirst().orElseThrow();
        cluster.kill(follower);
        log.add("kill -9 follower " + follower.name);
        awaitTraffic(traffic, 100, "traffic with a follower down");
        cluster.restart(follower);
        cluster.awaitServing(follower, BACK);

        LocalCluster.Node leader2 = cluster.awaitLeader(BACK);
        LocalCluster.Node other = cluster.nodes().stream().filter(n -> n != leader2).findFirst().orElseThrow();
        LocalCluster.Node survivor = cluster.nodes().stream().filter(n -> n != leader2 && n != other)
                .findFirst().orElseThrow();
        // The traffic waits out the outage: every write meanwhile would only be of unknown outcome.
        traffic.pause();
        cluster.kill(leader2);
        cluster.kill(other);
        log.add("kill -9 two (" + leader2.name + ", " + other.name + ")");
        String value = "lonely-" + System.nanoTime();
        traffic.history().mayHaveWritten(value); // it must not be acknowledged, but it may be committed later
        Throwable refused = catchThrowable(() -> KVGrpc.newBlockingStub(survivor.channel())
                .withDeadlineAfter(3, TimeUnit.SECONDS)
                .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("lonely"))
                        .setValue(ByteString.copyFromUtf8(value)).build()));
        assertThat(refused).as("a write on the only member left").isNotNull();
        cluster.restart(leader2);
        cluster.restart(other);
        log.add("restart both");
        for (LocalCluster.Node n : cluster.nodes()) {
            cluster.awaitServing(n, BACK);
        }
        traffic.resume();
        awaitTraffic(traffic, 100, "traffic after the recovery");
    }

    static void killAll(LocalCluster cluster, TrafficGenerator traffic, List<String> log) throws Exception {
        awaitTraffic(traffic, 150, "traffic before killing everyone");
        for (LocalCluster.Node n : cluster.nodes()) {
            cluster.kill(n);
        }
        log.add("kill -9 all");
        for (LocalCluster.Node n : cluster.nodes()) {
            cluster.restart(n);
        }
        cluster.awaitLeader(BACK);
        for (LocalCluster.Node n : cluster.nodes()) {
            cluster.awaitServing(n, BACK);
        }
        awaitTraffic(traffic, 100, "traffic after the restart of all members");
    }

    private static void awaitTraffic(TrafficGenerator traffic, int more, String what) {
        int before = traffic.history().total();
        LocalCluster.await(what, Duration.ofSeconds(60), () -> traffic.history().total() >= before + more);
    }
}
