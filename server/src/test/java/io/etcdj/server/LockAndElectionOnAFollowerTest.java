package io.etcdj.server;

import static io.etcdj.server.RecipeCalls.bytes;
import static io.etcdj.server.RecipeCalls.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.v3electionpb.CampaignRequest;
import io.etcdj.api.v3electionpb.CampaignResponse;
import io.etcdj.api.v3electionpb.ElectionGrpc;
import io.etcdj.api.v3electionpb.LeaderKey;
import io.etcdj.api.v3electionpb.ResignRequest;
import io.etcdj.api.v3lockpb.LockGrpc;
import io.etcdj.api.v3lockpb.LockRequest;
import io.etcdj.api.v3lockpb.LockResponse;
import io.etcdj.api.v3lockpb.UnlockRequest;
import io.etcdj.server.RecipeCalls.Pending;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contenders waiting on a follower of a three-member cluster learn of releases made through the
 * leader: the wait reads linearizably and watches the follower's own store.
 */
class LockAndElectionOnAFollowerTest {
    @TempDir
    Path dir;

    @Test
    void waitersOnAFollowerAreWokenByReleasesMadeThroughTheLeader() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            int leader = c.awaitLeader(RecipeCalls.WAIT);
            ManagedChannel viaLeader = c.channel(leader);
            ManagedChannel viaFollower = c.channel((leader + 1) % 3);
            RecipeCalls calls = new RecipeCalls(viaLeader);
            long a = calls.grant(60);
            long b = calls.grant(60);

            LockResponse held = LockGrpc.newBlockingStub(viaLeader).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .lock(LockRequest.newBuilder().setName(bytes("mutex")).setLease(a).build());
            Pending<LockResponse> waiting = RecipeCalls.start(o -> LockGrpc.newStub(viaFollower)
                    .lock(LockRequest.newBuilder().setName(bytes("mutex")).setLease(b).build(), o));
            calls.awaitKeyCount("mutex/", 2);
            assertThat(waiting.reply()).isNotDone();
            LockGrpc.newBlockingStub(viaLeader).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .unlock(UnlockRequest.newBuilder().setKey(held.getKey()).build());
            assertThat(waiting.await().getKey().toStringUtf8()).isEqualTo("mutex/" + hex(b));

            LeaderKey first = ElectionGrpc.newBlockingStub(viaLeader).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .campaign(CampaignRequest.newBuilder().setName(bytes("chief")).setLease(a)
                            .setValue(bytes("alpha")).build()).getLeader();
            Pending<CampaignResponse> next = RecipeCalls.start(o -> ElectionGrpc.newStub(viaFollower)
                    .campaign(CampaignRequest.newBuilder().setName(bytes("chief")).setLease(b)
                            .setValue(bytes("beta")).build(), o));
            calls.awaitKeyCount("chief/", 2);
            ElectionGrpc.newBlockingStub(viaLeader).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .resign(ResignRequest.newBuilder().setLeader(first).build());
            assertThat(next.await().getLeader().getKey().toStringUtf8()).isEqualTo("chief/" + hex(b));
        }
    }
}
