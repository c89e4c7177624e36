package io.etcdj.server;

import static io.etcdj.server.MaintenanceClusterTest.key;
import static io.etcdj.server.MaintenanceClusterTest.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.Member;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --force-new-cluster, etcd's way out of a lost quorum: the one surviving member restarts with the
 * flag and becomes a one-member cluster (same member and cluster IDs) with everything it had
 * committed; later restarts without the flag stay so.
 */
class ForceNewClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void theSurvivorOfALostQuorumCarriesOnAloneWithItsData() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            c.awaitLeader(WAIT);
            for (int i = 0; i < 50; i++) {
                c.kv(0).put(put("key" + i, "value" + i));
            }
            long revision = range(c).getHeader().getRevision();
            List<Member> before = members(c);
            long survivorId = c.server(0).memberId();
            c.stopMember(1);
            c.stopMember(2);
            c.stopMember(0);

            c.startMember(0, s -> s.withForceNewCluster(true));
            EtcdCluster.awaitCondition(WAIT, "the survivor leads itself", () -> c.server(0).raftStatus().leader() == survivorId);
            assertThat(before).hasSize(3);
            assertThat(members(c)).extracting(Member::getID).containsExactly(survivorId);
            RangeResponse all = range(c);
            assertThat(all.getCount()).isEqualTo(50);
            assertThat(all.getHeader().getRevision()).isEqualTo(revision);
            assertThat(c.kv(0).put(put("after", "forced")).getHeader().getRevision()).isEqualTo(revision + 1);

            c.stopMember(0);
            c.startMember(0, s -> s.withForceNewCluster(false));
            EtcdCluster.awaitCondition(WAIT, "a plain restart leads alone too", () -> c.server(0).raftStatus().leader() == survivorId);
            assertThat(members(c)).extracting(Member::getID).containsExactly(survivorId);
            assertThat(range(c).getCount()).isEqualTo(51);
        }
    }

    private static RangeResponse range(EtcdCluster c) {
        return EtcdCluster.whenHealthy(() -> c.kv(0).withDeadlineAfter(10, TimeUnit.SECONDS)
                .range(RangeRequest.newBuilder().setKey(key("a")).setRangeEnd(key("z")).build()));
    }

    private static List<Member> members(EtcdCluster c) {
        return EtcdCluster.whenHealthy(() -> ClusterGrpc.newBlockingStub(c.channel(0))
                .withDeadlineAfter(10, TimeUnit.SECONDS).memberList(MemberListRequest.getDefaultInstance())
                .getMembersList());
    }
}
