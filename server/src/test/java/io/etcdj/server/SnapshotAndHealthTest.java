package io.etcdj.server;

import static io.etcdj.server.MaintenanceClusterTest.key;
import static io.etcdj.server.MaintenanceClusterTest.maintenance;
import static io.etcdj.server.MaintenanceClusterTest.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.SnapshotRequest;
import io.etcdj.api.etcdserverpb.SnapshotResponse;
import io.etcdj.server.snapshot.SnapshotFormat;
import io.etcdj.server.snapshot.SnapshotUnpacker;
import io.etcdj.server.storage.MvccServerBackend;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maintenance.Snapshot's stream and grpc.health.v1.Health on in-process members. */
class SnapshotAndHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aSnapshotStreamEndsWithTheSha256OfItsBytesAndUnpacksToABackendWithTheKeys() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 1)) {
            c.awaitLeader(WAIT);
            for (int i = 0; i < 200; i++) {
                c.kv(0).put(put("key" + i, "value-" + "x".repeat(i)));
            }
            long revision = c.kv(0).range(RangeRequest.newBuilder().setKey(key("key0")).build()).getHeader().getRevision();

            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            long previousRemaining = Long.MAX_VALUE;
            Iterator<SnapshotResponse> it = maintenance(c, 0).snapshot(SnapshotRequest.getDefaultInstance());
            while (it.hasNext()) {
                SnapshotResponse r = it.next();
                assertThat(r.getRemainingBytes()).isLessThanOrEqualTo(previousRemaining);
                previousRemaining = r.getRemainingBytes();
                r.getBlob().writeTo(stream);
            }
            byte[] bytes = stream.toByteArray();
            assertThat(previousRemaining).isZero();
            assertThat(SnapshotFormat.hasTrailer(bytes.length)).as("size %% 512 == 32, as etcdctl 3.4 requires").isTrue();
            byte[] body = Arrays.copyOf(bytes, bytes.length - 32);
            assertThat(Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(body));
            assertThat(Arrays.copyOf(body, 16)).isEqualTo(SnapshotFormat.MAGIC);
            assertThat(Files.list(c.member(0).settings().dataDir().resolve("member/snap"))
                    .filter(p -> p.getFileName().toString().startsWith("db.snapshot")))
                    .as("the checkpoint behind the stream is deleted").isEmpty();

            Path file = dir.resolve("snap.db");
            Files.write(file, bytes);
            Path restored = dir.resolve("restored/db");
            SnapshotUnpacker.unpack(file, restored, false);
            try (MvccServerBackend b = MvccServerBackend.open(restored)) {
                assertThat(b.currentRevision()).isEqualTo(revision);
                assertThat(b.range(RangeRequest.newBuilder().setKey(key("key")).setRangeEnd(key("kez")).build())
                        .getCount()).isEqualTo(200);
            }
        }
    }

    @Test
    void healthIsServingWhileAMemberKnowsALeaderAndNotServingOnceItLostQuorum() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            c.awaitLeader(WAIT);
            for (int i = 0; i < 3; i++) {
                assertThat(health(c, i)).isEqualTo(ServingStatus.SERVING);
            }
            c.stopMember(1);
            c.stopMember(2);
            EtcdCluster.awaitCondition(WAIT, "m0 without a leader reports NOT_SERVING",
                    () -> health(c, 0) == ServingStatus.NOT_SERVING);
            c.startMember(1);
            EtcdCluster.awaitCondition(WAIT, "m0 with a leader again reports SERVING",
                    () -> health(c, 0) == ServingStatus.SERVING);
        }
    }

    private static ServingStatus health(EtcdCluster c, int i) {
        return HealthGrpc.newBlockingStub(c.channel(i)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("").build()).getStatus();
    }
}
