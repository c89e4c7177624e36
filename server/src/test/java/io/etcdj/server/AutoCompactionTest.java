package io.etcdj.server;

import static io.etcdj.server.MaintenanceClusterTest.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.server.compaction.AutoCompactionSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --auto-compaction-mode=periodic with a one-second retention: the leader compacts by itself. */
class AutoCompactionTest {
    @TempDir
    Path dir;

    @Test
    void theLeaderCompactsToTheRevisionOfAPeriodAgo() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3, 10_000, 5_000,
                s -> s.withAutoCompaction(new AutoCompactionSettings("periodic", Duration.ofSeconds(1))))) {
            c.awaitLeader(Duration.ofSeconds(20));
            long[] written = {0};
            EtcdCluster.awaitCondition(Duration.ofSeconds(30), "a compaction on every member", () -> {
                written[0] = c.kv(0).put(put("key", "v" + written[0])).getHeader().getRevision();
                for (int i = 0; i < 3; i++) {
                    if (compactRevision(c, i) <= 0) { // -1 until the first compaction, as in etcd
                        return false;
                    }
                }
                return true;
            });
            long compacted = compactRevision(c, 0);
            assertThat(compacted).isPositive().isLessThan(written[0]);
        }
    }

    private static long compactRevision(EtcdCluster c, int i) {
        return MaintenanceGrpc.newBlockingStub(c.channel(i)).withDeadlineAfter(10, TimeUnit.SECONDS)
                .hashKV(HashKVRequest.getDefaultInstance()).getCompactRevision();
    }
}
