package io.etcdj.server;

import static io.etcdj.server.ClusterReplicationTest.bytes;
import static io.etcdj.server.ClusterReplicationTest.get;
import static io.etcdj.server.ClusterReplicationTest.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots every few entries: restart from a snapshot, and a lagging member fed a snapshot. */
class SnapshotScenarioTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aMemberRestartsFromItsSnapshotAndTheRestOfItsLog() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 1, 10, 3)) {
            c.awaitLeader(WAIT);
            long empty = c.kv(0).range(get("k")).getHeader().getRevision();
            for (int i = 0; i < 45; i++) {
                c.kv(0).put(put("k" + i, "v" + i));
            }
            try (Stream<Path> snaps = Files.list(dir.resolve("m0.etcd/member/snap"))) {
                assertThat(snaps.filter(p -> p.toString().endsWith(".snap"))).isNotEmpty();
            }
            c.stopMember(0);
            c.startMember(0);
            c.awaitLeader(WAIT);
            RangeResponse all = c.kv(0).range(RangeRequest.newBuilder().setKey(bytes("k")).setRangeEnd(bytes("l"))
                    .build());
            assertThat(all.getCount()).isEqualTo(45);
            assertThat(c.kv(0).put(put("after", "x")).getHeader().getRevision()).isEqualTo(empty + 46);
        }
    }

    @Test
    void aMemberBehindTheLeadersCompactedLogCatchesUpFromASnapshot() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3, 20, 5)) {
            int leader = c.awaitLeader(WAIT);
            int lagging = (leader + 1) % 3;
            c.kv(leader).put(put("early", "1"));
            EtcdCluster.awaitCondition(WAIT, "the lagging member has 'early'", () ->
                    c.kv(lagging).range(get("early").toBuilder().setSerializable(true).build()).getCount() == 1);
            c.stopMember(lagging);
            for (int i = 0; i < 100; i++) {
                c.kv(leader).put(put("late" + i, "v"));
            }
            c.startMember(lagging);
            EtcdCluster.awaitCondition(WAIT, "the lagging member catches up through a snapshot", () ->
                    c.kv(lagging).range(get("late99").toBuilder().setSerializable(true).build()).getCount() == 1);
            RangeResponse late = c.kv(lagging).range(RangeRequest.newBuilder().setKey(bytes("late"))
                    .setRangeEnd(bytes("latf")).setSerializable(true).setCountOnly(true).build());
            assertThat(late.getCount()).isEqualTo(100);
            c.kv(lagging).put(put("from-lagging", "ok"));
            assertThat(c.kv(leader).range(get("from-lagging")).getCount()).isEqualTo(1);
            assertThat(c.fatalErrors()).isEmpty();
        }
    }
}
