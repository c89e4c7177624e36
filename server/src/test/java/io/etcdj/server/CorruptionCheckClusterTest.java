package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.AlarmMember;
import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmType;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.BackendBatch;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.server.corruption.CorruptionCheckSettings;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --experimental-initial-corrupt-check and --experimental-corrupt-check-time on a 3-member cluster
 * whose follower's backend is changed behind its back while it is stopped (one stored value
 * rewritten at its own revision, as etcd's tests corrupt a bbolt file).
 */
class CorruptionCheckClusterTest {
    @TempDir
    Path root;

    private static PutRequest put(String key, String value) {
        return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))
                .build();
    }

    /** Rewrites the value stored at the newest revision of a stopped member's backend. */
    private static void corruptBackend(Path dataDir) throws Exception {
        try (Backend backend = Backend.open(dataDir.resolve("member").resolve("snap").resolve("db"))) {
            byte[][] newest = new byte[2][];
            backend.forEach(Bucket.KEY, null, null, (k, v) -> {
                newest[0] = k;
                newest[1] = v;
                return true;
            });
            KeyValue kv = KeyValue.parseFrom(newest[1]);
            BackendBatch batch = backend.newBatch();
            batch.put(Bucket.KEY, newest[0], kv.toBuilder().setValue(ByteString.copyFromUtf8("rotten")).build()
                    .toByteArray());
            backend.commitWithoutConsistentIndex(batch);
        }
    }

    private static List<AlarmMember> alarms(EtcdCluster cluster, int i) throws Exception {
        return cluster.server(i).alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.GET).build())
                .get(10, TimeUnit.SECONDS).getAlarmsList();
    }

    @Test
    void aCorruptedFollowerIsRefusedAtStartAndFoundByTheLeadersPeriodicCheck() throws Exception {
        CorruptionCheckSettings periodic = new CorruptionCheckSettings(false, Duration.ofMillis(200));
        try (EtcdCluster cluster = EtcdCluster.start(root, 3, 10_000, 5_000, s -> s.withCorruptionCheck(periodic))) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(10));
            int follower = (leader + 1) % 3;
            for (int i = 0; i < 10; i++) {
                cluster.kv(leader).put(put("k" + i, "v" + i));
            }
            EtcdCluster.awaitCondition(Duration.ofSeconds(10), "the follower to apply every put",
                    () -> cluster.kv(follower).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k9"))
                            .setSerializable(true).build()).getHeader().getRevision() == 11);
            MemberSettings settings = cluster.member(follower).settings();
            long followerId = cluster.member(follower).memberId();
            cluster.stopMember(follower);
            corruptBackend(settings.dataDir());

            // with the initial check, the corrupted member does not start
            EtcdMember checked = EtcdMember.open(settings.withCorruptionCheck(
                    new CorruptionCheckSettings(true, Duration.ZERO)), t -> { });
            try {
                assertThatThrownBy(checked::start).isInstanceOf(IOException.class)
                        .hasMessage(Long.toHexString(followerId) + " found data inconsistency with peers");
            } finally {
                checked.close();
            }
            assertThat(alarms(cluster, leader)).isEmpty();

            // without it, it starts, and the leader's periodic check raises CORRUPT (for member 0, as etcd 3.5)
            cluster.startMember(follower);
            EtcdCluster.awaitCondition(Duration.ofSeconds(20), "the CORRUPT alarm", () -> {
                try {
                    return alarms(cluster, leader).contains(AlarmMember.newBuilder().setMemberID(0)
                            .setAlarm(AlarmType.CORRUPT).build());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            assertThatThrownBy(() -> cluster.kv(leader).put(put("after", "x")))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: corrupt cluster"));
            // ranges are still served (etcd reads through its base applier, not the corrupt one)
            assertThat(cluster.kv(leader).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k1")).build())
                    .getKvs(0).getValue().toStringUtf8()).isEqualTo("v1");
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Test
    void healthyMembersPassTheInitialCheck() throws Exception {
        CorruptionCheckSettings initial = new CorruptionCheckSettings(true, Duration.ZERO);
        try (EtcdCluster cluster = EtcdCluster.start(root, 3, 10_000, 5_000, s -> s.withCorruptionCheck(initial))) {
            int leader = cluster.awaitLeader(Duration.ofSeconds(10));
            for (int i = 0; i < 10; i++) {
                cluster.kv(leader).put(put("k" + i, "v" + i));
            }
            int follower = (leader + 1) % 3;
            EtcdCluster.awaitCondition(Duration.ofSeconds(10), "the follower to apply every put",
                    () -> cluster.kv(follower).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k9"))
                            .setSerializable(true).build()).getHeader().getRevision() == 11);
            cluster.stopMember(follower);
            cluster.startMember(follower); // compared with two healthy peers at revision 11: passes
            assertThat(cluster.kv(follower).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k1"))
                    .build()).getKvs(0).getValue().toStringUtf8()).isEqualTo("v1");
            assertThat(alarms(cluster, leader)).isEmpty();
        }
    }
}
