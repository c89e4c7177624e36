package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.LeaseLeasesRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.LeaseStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases on a three-member cluster: granted, attached, kept alive through a follower, revoked, expired. */
class LeaseClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aLeaseKeptAliveThroughAFollowerAndRevokedTakesItsKeysFromEveryMember() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            int leader = c.awaitLeader(WAIT);
            int follower = (leader + 1) % 3;
            LeaseGrantResponse granted = lease(c, leader).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build());
            long id = granted.getID();
            assertThat(id).isPositive();
            assertThat(granted.getTTL()).isEqualTo(60);
            assertThat(granted.getHeader().getMemberId()).isEqualTo(c.member(leader).memberId());

            c.kv(follower).put(PutRequest.newBuilder().setKey(bytes("foo")).setValue(bytes("bar")).setLease(id).build());
            for (int i = 0; i < 3; i++) {
                assertThat(c.kv(i).range(get("foo")).getKvs(0).getLease()).isEqualTo(id);
            }

            LeaseTimeToLiveResponse ttl = lease(c, follower).leaseTimeToLive(
                    LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build());
            assertThat(ttl.getGrantedTTL()).isEqualTo(60);
            assertThat(ttl.getTTL()).isBetween(1L, 60L);
            assertThat(ttl.getKeysList()).containsExactly(bytes("foo"));
            assertThat(lease(c, follower).leaseLeases(LeaseLeasesRequest.getDefaultInstance()).getLeasesList())
                    .extracting(LeaseStatus::getID).containsExactly(id);

            LeaseKeepAliveResponse kept = keepAliveOnce(c, follower, id);
            assertThat(kept.getID()).isEqualTo(id);
            assertThat(kept.getTTL()).isEqualTo(60);

            lease(c, follower).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build());
            for (int i = 0; i < 3; i++) {
                int m = i;
                EtcdCluster.awaitCondition(WAIT, "foo gone on m" + m, () -> c.kv(m).range(
                        get("foo").toBuilder().setSerializable(true).build()).getCount() == 0);
            }
            assertThat(keepAliveOnce(c, follower, id).getTTL()).isZero(); // etcd: TTL 0 for a lease not found
            assertThat(lease(c, leader).leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).build())
                    .getTTL()).isEqualTo(-1);
            assertThatThrownBy(() -> lease(c, follower).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                        assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: requested lease not found");
                    });
        }
    }

    @Test
    void leaseErrorsCarryEtcdsTextsAndCodes() {
        try (EtcdCluster c = EtcdCluster.start(dir, 1)) {
            c.awaitLeader(WAIT);
            lease(c, 0).leaseGrant(LeaseGrantRequest.newBuilder().setID(7).setTTL(30).build());
            assertThatThrownBy(() -> lease(c, 0).leaseGrant(LeaseGrantRequest.newBuilder().setID(7).setTTL(30).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                        assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: lease already exists");
                    });
            assertThatThrownBy(() -> lease(c, 0).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(9_000_000_001L).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
                        assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: too large lease TTL");
                    });
            assertThatThrownBy(() -> c.kv(0).put(PutRequest.newBuilder().setKey(bytes("k")).setLease(8).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
                            assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: requested lease not found"));
        }
    }

    @Test
    void anExpiredLeaseIsRevokedByTheLeaderAndItsKeyDisappearsEverywhere() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            int leader = c.awaitLeader(WAIT);
            // the fixture's 20 ms heartbeat and 200 ms election timeout make the minimum TTL 1 s
            long id = lease(c, leader).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(1).build()).getID();
            c.kv(leader).put(PutRequest.newBuilder().setKey(bytes("short")).setValue(bytes("lived")).setLease(id).build());
            for (int i = 0; i < 3; i++) {
                int m = i;
                EtcdCluster.awaitCondition(WAIT, "short gone on m" + m, () -> c.kv(m).range(
                        get("short").toBuilder().setSerializable(true).build()).getCount() == 0);
            }
            assertThat(lease(c, leader).leaseTimeToLive(LeaseTimeToLiveRequest.newBuilder().setID(id).build())
                    .getTTL()).isEqualTo(-1);
        }
    }

    @Test
    void theNextLeaderTakesOverTheLeasesAndTheirExpiry() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            int leader = c.awaitLeader(WAIT);
            long id = lease(c, leader).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(3).build()).getID();
            c.kv(leader).put(PutRequest.newBuilder().setKey(bytes("handed")).setValue(bytes("over")).setLease(id).build());
            int survivor = (leader + 1) % 3;
            EtcdCluster.awaitCondition(WAIT, "the survivor has the leased key", () -> c.kv(survivor)
                    .range(get("handed").toBuilder().setSerializable(true).build()).getCount() == 1);
            c.stopMember(leader);
            int next = c.awaitLeader(WAIT);
            assertThat(keepAliveOnce(c, survivor, id).getTTL()).isEqualTo(3); // renewed by the new leader
            EtcdCluster.awaitCondition(WAIT, "the new leader revokes the expired lease", () -> c.kv(next)
                    .range(get("handed").toBuilder().setSerializable(true).build()).getCount() == 0);
            assertThat(c.fatalErrors()).isEmpty();
        }
    }

    @Test
    void aMemberRestoredFromTheLeadersSnapshotKnowsTheLeasesAndTheirKeys() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 3, 20, 5)) {
            int leader = c.awaitLeader(WAIT);
            int lagging = (leader + 1) % 3;
            EtcdCluster.awaitCondition(WAIT, "the lagging member applied the election", () ->
                    c.server(lagging).raftStatus().leader() != 0);
            c.stopMember(lagging);
            long id = lease(c, leader).leaseGrant(LeaseGrantRequest.newBuilder().setTTL(300).build()).getID();
            c.kv(leader).put(PutRequest.newBuilder().setKey(bytes("leased")).setValue(bytes("v")).setLease(id).build());
            for (int i = 0; i < 60; i++) {
                c.kv(leader).put(PutRequest.newBuilder().setKey(bytes("fill" + i)).setValue(bytes("v")).build());
            }
            c.startMember(lagging);
            EtcdCluster.awaitCondition(WAIT, "the lagging member catches up through a snapshot", () -> c.kv(lagging)
                    .range(get("fill59").toBuilder().setSerializable(true).build()).getCount() == 1);
            LeaseTimeToLiveResponse local = c.server(lagging).leaseTimeToLive(
                    LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(true).build(), false).get(10, TimeUnit.SECONDS);
            assertThat(local.getGrantedTTL()).isEqualTo(300);
            assertThat(local.getKeysList()).containsExactly(bytes("leased"));

            lease(c, leader).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build());
            EtcdCluster.awaitCondition(WAIT, "the leased key is gone on the restored member", () -> c.kv(lagging)
                    .range(get("leased").toBuilder().setSerializable(true).build()).getCount() == 0);
            assertThat(c.fatalErrors()).isEmpty();
        }
    }

    private static LeaseKeepAliveResponse keepAliveOnce(EtcdCluster c, int member, long id) throws InterruptedException {
        LinkedBlockingQueue<Object> answers = new LinkedBlockingQueue<>();
        StreamObserver<LeaseKeepAliveRequest> requests = LeaseGrpc.newStub(c.channel(member))
                .withDeadlineAfter(10, TimeUnit.SECONDS).leaseKeepAlive(new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse r) {
                        answers.add(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answers.add(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
        Object answer = answers.poll(10, TimeUnit.SECONDS);
        requests.onCompleted();
        assertThat(answer).isInstanceOf(LeaseKeepAliveResponse.class);
        return (LeaseKeepAliveResponse) answer;
    }

    private static LeaseGrpc.LeaseBlockingStub lease(EtcdCluster c, int member) {
        return LeaseGrpc.newBlockingStub(c.channel(member)).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    private static RangeRequest get(String key) {
        return RangeRequest.newBuilder().setKey(bytes(key)).build();
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
