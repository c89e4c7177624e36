package io.etcdj.server;

import static io.etcdj.server.RecipeCalls.bytes;
import static io.etcdj.server.RecipeCalls.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.v3electionpb.CampaignRequest;
import io.etcdj.api.v3electionpb.CampaignResponse;
import io.etcdj.api.v3electionpb.ElectionGrpc;
import io.etcdj.api.v3electionpb.LeaderKey;
import io.etcdj.api.v3electionpb.LeaderRequest;
import io.etcdj.api.v3electionpb.LeaderResponse;
import io.etcdj.api.v3electionpb.ProclaimRequest;
import io.etcdj.api.v3electionpb.ProclaimResponse;
import io.etcdj.api.v3electionpb.ResignRequest;
import io.etcdj.api.v3electionpb.ResignResponse;
import io.etcdj.server.RecipeCalls.Pending;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** v3electionpb.Election on a single member: campaigns, leadership hand-over and what observers see. */
class ElectionScenarioTest {
    @TempDir
    Path dir;

    private EtcdCluster cluster;
    private ManagedChannel channel;
    private RecipeCalls calls;

    @BeforeEach
    void start() {
        cluster = EtcdCluster.start(dir, 1);
        cluster.awaitLeader(RecipeCalls.WAIT);
        channel = cluster.channel(0);
        calls = new RecipeCalls(channel);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void campaignProclaimObserveAndResignHandLeadershipOn() throws Exception {
        try (Observer observer = observe("chief")) {
            assertThat(RecipeCalls.failure(leader("chief"))).isEqualTo("UNKNOWN: election: no leader");

            long a = calls.grant(60);
            CampaignResponse won = campaign("chief", a, "alpha").await();
            LeaderKey alpha = won.getLeader();
            assertThat(alpha.getName().toStringUtf8()).isEqualTo("chief");
            assertThat(alpha.getKey().toStringUtf8()).isEqualTo("chief/" + hex(a));
            assertThat(alpha.getLease()).isEqualTo(a);
            assertThat(alpha.getRev()).isEqualTo(won.getHeader().getRevision());

            LeaderResponse seen = observer.next();
            assertThat(seen.getKv().getKey()).isEqualTo(alpha.getKey());
            assertThat(seen.getKv().getValue().toStringUtf8()).isEqualTo("alpha");
            assertThat(seen.getHeader().getRevision()).isEqualTo(alpha.getRev());
            assertThat(RecipeCalls.get(leader("chief")).getKv()).isEqualTo(seen.getKv());

            ProclaimResponse proclaimed = proclaim(alpha, "alpha-2");
            seen = observer.next();
            assertThat(seen.getKv().getValue().toStringUtf8()).isEqualTo("alpha-2");
            assertThat(seen.getKv().getModRevision()).isEqualTo(proclaimed.getHeader().getRevision());
            assertThat(seen.getKv().getCreateRevision()).isEqualTo(alpha.getRev());

            long b = calls.grant(60);
            Pending<CampaignResponse> second = campaign("chief", b, "beta");
            calls.awaitKeyCount("chief/", 2);
            assertThat(second.reply()).isNotDone();

            resign(alpha);
            LeaderKey beta = second.await().getLeader();
            assertThat(beta.getKey().toStringUtf8()).isEqualTo("chief/" + hex(b));
            seen = observer.next();
            assertThat(seen.getKv().getKey()).isEqualTo(beta.getKey());
            assertThat(seen.getKv().getValue().toStringUtf8()).isEqualTo("beta");
            assertThat(RecipeCalls.get(leader("chief")).getKv().getValue().toStringUtf8()).isEqualTo("beta");

            // the old candidacy can neither speak nor resign for the new leader
            assertThat(RecipeCalls.failure(RecipeCalls.<ProclaimResponse>start(o -> stub().proclaim(
                    ProclaimRequest.newBuilder().setLeader(alpha).setValue(bytes("again")).build(), o)).reply()))
                    .isEqualTo("UNKNOWN: election: not leader");
            resign(alpha);
            assertThat(calls.keysUnder("chief/")).hasSize(1);

            calls.revoke(b);
            assertThat(RecipeCalls.failure(leader("chief"))).isEqualTo("UNKNOWN: election: no leader");
            assertThat(observer.nothingMore()).isTrue();
        }
    }

    @Test
    void anObserverOfAnEmptyElectionSeesTheFirstCandidate() throws Exception {
        try (Observer observer = observe("chief")) {
            long a = calls.grant(60);
            LeaderKey alpha = campaign("chief", a, "alpha").await().getLeader();
            LeaderResponse seen = observer.next();
            assertThat(seen.getKv().getKey()).isEqualTo(alpha.getKey());
            assertThat(seen.getHeader().getRevision()).isEqualTo(alpha.getRev());
        }
    }

    @Test
    void campaigningAgainWithTheSameLeaseKeepsThePlaceAndProclaimsTheNewValue() throws Exception {
        long a = calls.grant(60);
        LeaderKey first = campaign("chief", a, "alpha").await().getLeader();
        LeaderKey again = campaign("chief", a, "alpha-2").await().getLeader();
        assertThat(again).isEqualTo(first);
        assertThat(RecipeCalls.get(leader("chief")).getKv().getValue().toStringUtf8()).isEqualTo("alpha-2");
    }

    @Test
    void anAbandonedCampaignLeavesNoKeyBehind() throws Exception {
        long a = calls.grant(60);
        long b = calls.grant(60);
        campaign("chief", a, "alpha").await();
        Pending<CampaignResponse> abandoned = campaign("chief", b, "beta");
        calls.awaitKeyCount("chief/", 2);
        abandoned.cancel();
        calls.awaitKeyCount("chief/", 1);
        assertThat(calls.keysUnder("chief/").get(0).getKey().toStringUtf8()).isEqualTo("chief/" + hex(a));
    }

    @Test
    void aCampaignUnderAnUnknownLeaseFails() throws Exception {
        assertThat(RecipeCalls.failure(campaign("chief", 12345, "alpha").reply()))
                .isEqualTo("UNKNOWN: etcdserver: requested lease not found");
        assertThat(calls.keysUnder("chief/")).isEmpty();
    }

    @Test
    void aLeaderKeyWithoutAKeyIsRefusedAsEtcdsKvServiceRefusesIt() throws Exception {
        LeaderKey noKey = LeaderKey.newBuilder().setName(bytes("chief")).setLease(calls.grant(60)).build();
        assertThat(RecipeCalls.failure(RecipeCalls.<ProclaimResponse>start(o -> stub().proclaim(
                ProclaimRequest.newBuilder().setLeader(noKey).setValue(bytes("x")).build(), o)).reply()))
                .isEqualTo("UNKNOWN: etcdserver: key is not provided");
        assertThat(RecipeCalls.failure(RecipeCalls.<ResignResponse>start(o -> stub().resign(
                ResignRequest.newBuilder().setLeader(noKey).build(), o)).reply()))
                .isEqualTo("UNKNOWN: etcdserver: key is not provided");
    }

    private ElectionGrpc.ElectionStub stub() {
        return ElectionGrpc.newStub(channel);
    }

    private Pending<CampaignResponse> campaign(String name, long lease, String value) {
        return RecipeCalls.start(o -> stub().campaign(CampaignRequest.newBuilder().setName(bytes(name))
                .setLease(lease).setValue(bytes(value)).build(), o));
    }

    private CompletableFuture<LeaderResponse> leader(String name) {
        return RecipeCalls.<LeaderResponse>start(o -> stub().leader(LeaderRequest.newBuilder().setName(bytes(name)).build(), o))
                .reply();
    }

    private ProclaimResponse proclaim(LeaderKey leader, String value) {
        return ElectionGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .proclaim(ProclaimRequest.newBuilder().setLeader(leader).setValue(bytes(value)).build());
    }

    private ResignResponse resign(LeaderKey leader) {
        return ElectionGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .resign(ResignRequest.newBuilder().setLeader(leader).build());
    }

    private Observer observe(String name) {
        Observer o = new Observer();
        o.context.run(() -> stub().observe(LeaderRequest.newBuilder().setName(bytes(name)).build(), o));
        return o;
    }

    /** One Observe stream; every response lands in a queue. */
    private static final class Observer implements StreamObserver<LeaderResponse>, AutoCloseable {
        final Context.CancellableContext context = Context.current().withCancellation();
        final BlockingQueue<Object> seen = new LinkedBlockingQueue<>();

        LeaderResponse next() throws InterruptedException {
            Object o = seen.poll(RecipeCalls.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (o instanceof LeaderResponse r) {
                return r;
            }
            throw new AssertionError("expected a leader, got " + o);
        }

        /** True if nothing arrived that was not taken yet (the stream is still open and quiet). */
        boolean nothingMore() {
            return seen.isEmpty();
        }

        @Override
        public void onNext(LeaderResponse r) {
            seen.add(r);
        }

        @Override
        public void onError(Throwable t) {
            seen.add(t);
        }

        @Override
        public void onCompleted() {
            seen.add("completed");
        }

        @Override
        public void close() {
            context.cancel(null);
        }
    }
}
