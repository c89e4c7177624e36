package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.MemberAddRequest;
import io.etcdj.api.etcdserverpb.MemberRemoveRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: an operator searches a cluster's logs for the events etcd logs in fixed words. A
 * three-member cluster elects a leader ("became candidate at term", "became leader at term",
 * "elected leader"), gains and loses a learner ("added member", "removed member"), loses its leader
 * ("lost leader" or "changed leader", then "leader changed"), and a request slower than
 * --warning-unary-request-duration is logged as "request stats".
 */
class KeyEventLogTest {
    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    @Test
    void electionMembershipChangesLeaderLossAndSlowRequestsAreLoggedInEtcdsWords() {
        ObservabilitySettings everyRequestIsSlow = new ObservabilitySettings(false, List.of(), Duration.ofMillis(100),
                Duration.ofNanos(1));
        try (EtcdCluster cluster = EtcdCluster.start(dir, 3, 10_000, 5_000,
                s -> s.withObservability(everyRequestIsSlow))) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(20));
            awaitMessage("became candidate at term ");
            awaitMessage("became leader at term ");
            String leaderHex = Long.toHexString(cluster.member(leader).memberId());
            awaitMessage("elected leader " + leaderHex + " at term ");

            cluster.kv(leader).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("slow-key"))
                    .setValue(ByteString.copyFromUtf8("v")).build());
            ILoggingEvent stats = awaitMessage("request stats");
            assertThat(stats.getLevel()).isEqualTo(Level.WARN);
            assertThat(stats.getKeyValuePairs()).anyMatch(kv -> kv.key.equals("request content")
                    && String.valueOf(kv.value).contains("slow-key"));

            ClusterGrpc.ClusterBlockingStub members = ClusterGrpc.newBlockingStub(cluster.channel(leader))
                    .withDeadlineAfter(10, TimeUnit.SECONDS);
            String learnerUrl = "http://127.0.0.1:" + EtcdCluster.freePort();
            long learnerId = EtcdCluster.whenHealthy(() -> members.memberAdd(MemberAddRequest.newBuilder()
                    .setIsLearner(true).addPeerURLs(learnerUrl).build())).getMember().getID();
            ILoggingEvent added = awaitMessage("added member");
            assertThat(added.getKeyValuePairs()).anyMatch(kv -> kv.key.equals("added-peer-id")
                    && kv.value.equals(Long.toHexString(learnerId)));
            members.memberRemove(MemberRemoveRequest.newBuilder().setID(learnerId).build());
            awaitMessage("removed member");

            cluster.stopMember(leader);
            awaitAnyMessage(List.of("lost leader " + leaderHex, "changed leader from " + leaderHex));
            awaitMessage("leader changed");
        }
    }

    private ILoggingEvent awaitMessage(String words) {
        return awaitAnyMessage(List.of(words));
    }

    private ILoggingEvent awaitAnyMessage(List<String> words) {
        return logs.await(Duration.ofSeconds(20), "a log line with one of " + words,
                e -> words.stream().anyMatch(w -> e.getFormattedMessage().contains(w)));
    }
}
