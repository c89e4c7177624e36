package io.etcdj.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.robustness.cluster.LocalCluster;
import io.etcdj.robustness.traffic.TrafficGenerator;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1: steady mixed load with no fault but a compaction every second (up to 200 revisions
 * behind the head, at least 50, on a member chosen in turn), for 30 s or the long-run duration. The baseline every
 * other scenario is measured against: nothing lost, linearizable, watches sound, converged.
 */
class SteadyLoadScenarioIT {

    @Test
    void steadyLoadWithCompactionEverySecond() throws Exception {
        long seed = Long.getLong("robustness.seed", System.currentTimeMillis());
        Duration duration = RobustnessDuration.get(Duration.ofSeconds(30));
        ScenarioRun.Options options = new ScenarioRun.Options(duration.plus(Duration.ofMinutes(2)), 1_000_000, 150,
                Map.of(), false);
        ScenarioRun.Result r = ScenarioRun.run("steady + compaction/s", seed, options,
                (cluster, traffic, log) -> compactEverySecond(cluster, traffic, log, duration));
        KillLeaderScenarioIT.assertResult(r);
        assertThat(r.faults()).as("compactions done (one a second once 50 revisions are written)")
                .hasSizeGreaterThanOrEqualTo((int) duration.toSeconds() / 3);
    }

    static void compactEverySecond(LocalCluster cluster, TrafficGenerator traffic, List<String> log, Duration duration)
            throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        long compacted = 0;
        int turn = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(1_000); // the scenario's period, not a synchronisation
            LocalCluster.Node n = cluster.nodes().get(turn++ % cluster.nodes().size());
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(n.channel()).withDeadlineAfter(5, TimeUnit.SECONDS);
            long head = kv.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("compaction-probe"))
                    .build()).getHeader().getRevision();
            // 200 revisions behind the head, or (when writes are slow) one past the last compaction,
            // but always at least 50 behind it, for the watch that follows the head
            long at = Math.max(head - 200, compacted + 1);
            if (head - at >= 50) {
                try {
                    kv.compact(CompactionRequest.newBuilder().setRevision(at).build());
                    compacted = at;
                    log.add("compact");
                } catch (StatusRuntimeException e) {
                    // the traffic's own compaction may have gone past it: fine
                    if (e.getStatus().getCode() != Status.Code.OUT_OF_RANGE) {
                        throw e;
                    }
                }
            }
        }
    }
}
