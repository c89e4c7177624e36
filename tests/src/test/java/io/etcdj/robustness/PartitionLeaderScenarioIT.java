package io.etcdj.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.robustness.cluster.LocalCluster;
import io.etcdj.robustness.linearizability.KvOperation;
import io.etcdj.robustness.traffic.TrafficGenerator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The leader is cut off from both followers by the proxies (every link, both ways). The majority
 * elects a new leader and keeps serving; the isolated old leader must serve no linearizable read
 * and acknowledge no write. Then the partition heals and the old leader catches up.
 */
class PartitionLeaderScenarioIT {

    @Test
    void isolatedLeaderServesNothingLinearizableAndRejoins() throws Exception {
        long seed = Long.getLong("robustness.seed", System.currentTimeMillis());
        ScenarioRun.Result r = ScenarioRun.run("partition leader", seed, PartitionLeaderScenarioIT::partitionLeader);
        KillLeaderScenarioIT.assertResult(r);
    }

    static void partitionLeader(LocalCluster cluster, TrafficGenerator traffic, List<String> log) throws Exception {
        LocalCluster.await("some traffic", Duration.ofSeconds(15), () -> traffic.history().total() >= 150);
        LocalCluster.Node leader = cluster.awaitLeader(Duration.ofSeconds(10));
        cluster.network().isolate(leader.name);
        log.add("isolate " + leader.name);

        LocalCluster.await("a new leader in the majority", Duration.ofSeconds(15),
                () -> cluster.leader().filter(l -> l != leader).isPresent());

        // The minority side: a linearizable read and a write on the old leader must both fail.
        KVGrpc.KVBlockingStub minority = KVGrpc.newBlockingStub(leader.channel());
        boolean readServed;
        try {
            minority.withDeadlineAfter(2, TimeUnit.SECONDS).range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("key/0")).build());
            readServed = true;
        } catch (RuntimeException expected) {
            readServed = false;
        }
        int id = traffic.history().nextId();
        long t0 = System.nanoTime();
        boolean writeAcked;
        try {
            minority.withDeadlineAfter(2, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("key/0")).setValue(ByteString.copyFromUtf8("minority")).build());
            writeAcked = true;
        } catch (RuntimeException expected) {
            writeAcked = false;
        }
        // Recorded as unknown either way: the checker then decides whether it may have happened.
        traffic.history().mayHaveWritten("minority");
        traffic.history().add(KvOperation.put(id, 1_000, "key/0", "minority", t0, t0 + 1).withUnknownOutcome());
        log.add("minority read " + (readServed ? "SERVED" : "refused") + ", write " + (writeAcked ? "ACKED" : "refused"));
        assertThat(readServed).as("the isolated old leader served a linearizable read").isFalse();
        assertThat(writeAcked).as("the isolated old leader acknowledged a write").isFalse();

        int before = traffic.history().total();
        LocalCluster.await("traffic during the partition", Duration.ofSeconds(15), () -> traffic.history().total() >= before + 150);
        cluster.network().healAll();
        log.add("heal");
        cluster.awaitServing(leader, Duration.ofSeconds(20));
        int after = traffic.history().total();
        LocalCluster.await("traffic after healing", Duration.ofSeconds(15), () -> traffic.history().total() >= after + 150);
    }
}
