package io.etcdj.mvcc.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import io.etcdj.api.etcdserverpb.LeaseCheckpoint;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.RangeOptions;
import io.etcdj.mvcc.TxnRead;
import io.etcdj.mvcc.TxnWrite;
import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.Bucket;

class LessorTest {
    private static final Duration ELECTION = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final FakeClock clock = new FakeClock();
    private Backend backend;
    private KvStore store;
    private Lessor lessor;
    private final List<Long> revisions = new ArrayList<>();
    private final List<List<Event>> published = new ArrayList<>();

    @BeforeEach
    void open() {
        open(LessorConfig.defaults());
    }

    private void open(LessorConfig config) {
        backend = Backend.open(dir.resolve("db"));
        store = KvStore.open(backend);
        lessor = Lessor.open(store, config, clock);
        store.setWriteListener(lessor.keyAttachments((rev, events) -> {
            revisions.add(rev);
            published.add(events);
        }));
    }

    @AfterEach
    void close() {
        store.close();
        backend.close();
    }

    private void reopen(LessorConfig config) {
        close();
        open(config);
    }

    private void put(String key, long lease) {
        try (TxnWrite txn = store.write()) {
            txn.put(bytes(key), bytes("v"), lease);
        }
    }

    private void delete(String key) {
        try (TxnWrite txn = store.write()) {
            txn.deleteRange(KeyRange.single(bytes(key)));
        }
    }

    private boolean exists(String key) {
        try (TxnRead txn = store.read()) {
            return !txn.range(KeyRange.single(bytes(key)), RangeOptions.LATEST).kvs().isEmpty();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> keys(LeaseInfo info) {
        return info.keys().stream().map(ByteString::toStringUtf8).toList();
    }

    @Test
    void minimumTtlFollowsEtcdRule() {
        assertThat(LessorConfig.minLeaseTtl(10, Duration.ofMillis(100))).isEqualTo(2);
        assertThat(LessorConfig.minLeaseTtl(5, Duration.ofMillis(100))).isEqualTo(1); // 7 ticks = 0.7 s
        assertThat(LessorConfig.minLeaseTtl(10, Duration.ofMillis(1000))).isEqualTo(15);
    }

    @Test
    void grantRaisesTtlToMinimumAndRefusesBadRequests() {
        assertThat(lessor.grant(1, 1).grantedTtl()).isEqualTo(2);
        assertThat(lessor.grant(2, 60).grantedTtl()).isEqualTo(60);
        assertThatThrownBy(() -> lessor.grant(1, 60)).isInstanceOf(MvccException.class)
                .hasMessage("etcdserver: lease already exists");
        assertThatThrownBy(() -> lessor.grant(0, 60)).hasMessage("etcdserver: requested lease not found");
        assertThatThrownBy(() -> lessor.grant(3, 9_000_000_001L)).hasMessage("etcdserver: too large lease TTL");
        assertThat(lessor.grant(3, 9_000_000_000L).grantedTtl()).isEqualTo(9_000_000_000L);
        assertThat(lessor.exists(2)).isTrue();
        assertThat(lessor.exists(4)).isFalse();
    }

    @Test
    void grantIsPersistedInTheLeaseBucketInEtcdFormat() {
        lessor.grant(0x1234, 30);
        byte[] v = backend.get(Bucket.LEASE, StoredLease.key(0x1234));
        assertThat(StoredLease.fromBytes(v)).isEqualTo(new StoredLease(0x1234, 30, 0));
        // leasepb.Lease{ID: 0x1234, TTL: 30}: field 1 varint, field 2 varint
        assertThat(v).containsExactly(0x08, 0xb4, 0x24, 0x10, 30);
    }

    @Test
    void onlyThePrimaryRenewsAndExpires() {
        lessor.grant(7, 10);
        assertThatThrownBy(() -> lessor.renew(7)).isInstanceOf(NotPrimaryException.class);
        clock.advance(Duration.ofHours(1));
        assertThat(lessor.expiredLeases(100)).isEmpty();

        lessor.promote(0);
        clock.advance(Duration.ofSeconds(9));
        assertThat(lessor.expiredLeases(100)).isEmpty();
        assertThat(lessor.timeToLive(7, false).remainingTtl()).isEqualTo(1);
        assertThat(lessor.renew(7)).isEqualTo(10);
        clock.advance(Duration.ofSeconds(9));
        assertThat(lessor.expiredLeases(100)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(lessor.expiredLeases(100)).containsExactly(7L);
        assertThatThrownBy(() -> lessor.renew(7)).hasMessage("etcdserver: requested lease not found");
        assertThatThrownBy(() -> lessor.renew(8)).hasMessage("etcdserver: requested lease not found");
    }

    @Test
    void anExpiredLeaseNotYetRevokedIsOfferedAgainAfterTheRetryInterval() {
        reopen(new LessorConfig(2, null, false, Duration.ofSeconds(3)));
        lessor.promote(0);
        lessor.grant(1, 5);
        lessor.grant(2, 6);
        clock.advance(Duration.ofSeconds(6));
        assertThat(lessor.expiredLeases(1)).containsExactly(1L);
        assertThat(lessor.expiredLeases(10)).containsExactly(2L);
        assertThat(lessor.expiredLeases(10)).isEmpty();
        clock.advance(Duration.ofSeconds(3));
        assertThat(lessor.expiredLeases(10)).containsExactlyInAnyOrder(1L, 2L);
        lessor.revoke(1);
        clock.advance(Duration.ofSeconds(3));
        assertThat(lessor.expiredLeases(10)).containsExactly(2L);
    }

    @Test
    void revokeDeletesEveryAttachedKeyInOneRevision() {
        lessor.grant(5, 60);
        put("a", 5);
        put("b", 5);
        put("c", 0);
        put("d", 5);
        long before = store.rev();
        published.clear();

        long rev = lessor.revoke(5);

        assertThat(rev).isEqualTo(before + 1);
        assertThat(published).hasSize(1);
        assertThat(published.get(0)).extracting(e -> e.getKv().getKey().toStringUtf8() + ":" + e.getType())
                .containsExactly("a:DELETE", "b:DELETE", "d:DELETE");
        assertThat(exists("a")).isFalse();
        assertThat(exists("c")).isTrue();
        assertThat(lessor.exists(5)).isFalse();
        assertThat(backend.get(Bucket.LEASE, StoredLease.key(5))).isNull();
        assertThatThrownBy(() -> lessor.revoke(5)).hasMessage("etcdserver: requested lease not found");
    }

    @Test
    void revokingALeaseWithoutKeysDoesNotCreateARevision() {
        lessor.grant(5, 60);
        long before = store.rev();
        assertThat(lessor.revoke(5)).isEqualTo(before);
        assertThat(backend.get(Bucket.LEASE, StoredLease.key(5))).isNull();
    }

    @Test
    void putsAndDeletesMoveKeysBetweenLeases() {
        lessor.grant(1, 60);
        lessor.grant(2, 60);
        put("x", 1);
        put("y", 1);
        assertThat(keys(lessor.timeToLive(1, true))).containsExactly("x", "y");
        put("x", 2);
        put("y", 0);
        assertThat(keys(lessor.timeToLive(1, true))).isEmpty();
        assertThat(keys(lessor.timeToLive(2, true))).containsExactly("x");
        assertThat(lessor.leaseOf(ByteString.copyFromUtf8("x"))).isEqualTo(2);
        delete("x");
        assertThat(keys(lessor.timeToLive(2, true))).isEmpty();
        assertThat(lessor.leaseOf(ByteString.copyFromUtf8("x"))).isZero();
        assertThat(lessor.timeToLive(2, false).keys()).isEmpty();
        assertThat(lessor.timeToLive(99, true)).isNull();
    }

    @Test
    void promotionExtendsEveryLeaseAndDemotionStopsTheClock() {
        lessor.grant(1, 10);
        clock.advance(Duration.ofSeconds(100));
        lessor.promote(ELECTION.toNanos());
        clock.advance(Duration.ofSeconds(10));
        assertThat(lessor.expiredLeases(10)).isEmpty(); // 10 s TTL + 1 s extension
        assertThat(lessor.timeToLive(1, false).remainingTtl()).isEqualTo(1);

        lessor.demote();
        clock.advance(Duration.ofSeconds(100));
        assertThat(lessor.expiredLeases(10)).isEmpty();
        assertThat(lessor.timeToLive(1, false).remainingTtl()).isEqualTo(10);

        lessor.promote(ELECTION.toNanos());
        clock.advance(Duration.ofSeconds(11));
        assertThat(lessor.expiredLeases(10)).containsExactly(1L);
    }

    @Test
    void promotionSpreadsPiledUpExpiries() {
        lessor.promote(0);
        lessor.demote();
        for (int id = 1; id <= 3000; id++) {
            lessor.grant(id, 10);
        }
        lessor.promote(0);
        Set<Long> offered = new HashSet<>();
        for (int s = 0; s < 20; s++) {
            clock.advance(Duration.ofSeconds(1));
            int firstOffers = 0;
            for (long id : lessor.expiredLeases(100_000)) {
                if (offered.add(id)) {
                    firstOffers++;
                }
            }
            assertThat(firstOffers).as("leases first expiring in second %d", s).isLessThanOrEqualTo(1000);
        }
        assertThat(offered).hasSize(3000);
    }

    @Test
    void leasesAreListedSoonestExpiryFirst() {
        lessor.promote(0);
        lessor.grant(3, 30);
        lessor.grant(1, 50);
        lessor.grant(2, 10);
        assertThat(lessor.leases()).extracting(LeaseInfo::id).containsExactly(2L, 3L, 1L);
        assertThat(lessor.leases()).extracting(LeaseInfo::grantedTtl).containsExactly(10L, 30L, 50L);
    }

    @Test
    void restartReloadsLeasesAndAttachmentsWithoutCountingDown() {
        lessor.promote(0);
        lessor.grant(1, 1);
        lessor.grant(2, 100);
        put("k1", 1);
        put("k2", 2);
        put("k3", 2);
        put("k4", 0);
        lessor.revoke(1);

        reopen(LessorConfig.defaults());

        assertThat(lessor.isPrimary()).isFalse();
        assertThat(lessor.exists(1)).isFalse();
        assertThat(keys(lessor.timeToLive(2, true))).containsExactly("k2", "k3");
        clock.advance(Duration.ofSeconds(1000));
        assertThat(lessor.expiredLeases(10)).isEmpty();
        lessor.promote(0);
        assertThat(lessor.timeToLive(2, false).remainingTtl()).isEqualTo(100);
        lessor.revoke(2);
        assertThat(exists("k2")).isFalse();
        assertThat(exists("k4")).isTrue();
    }

    @Test
    void checkpointsCarryTheRemainingTtlToTheNextLeader() {
        LessorConfig cp = new LessorConfig(2, Duration.ofSeconds(60), true, Duration.ofSeconds(3));
        reopen(cp);
        lessor.promote(0);
        lessor.grant(9, 300);
        lessor.grant(10, 30); // shorter than the interval: never checkpointed
        assertThat(lessor.dueCheckpoints(100)).isEmpty();
        clock.advance(Duration.ofSeconds(60));
        List<LeaseCheckpoint> due = lessor.dueCheckpoints(100);
        assertThat(due).containsExactly(LeaseCheckpoint.newBuilder().setID(9).setRemainingTTL(240).build());
        lessor.revoke(10);

        // applied through raft on every member (here: this one), then this member loses leadership
        lessor.checkpoint(9, 240);
        lessor.demote();
        assertThat(lessor.timeToLive(9, false).remainingTtl()).isEqualTo(240);
        reopen(cp); // persisted: a restarted member knows it too
        lessor.promote(ELECTION.toNanos());
        clock.advance(Duration.ofSeconds(240));
        assertThat(lessor.expiredLeases(10)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(lessor.expiredLeases(10)).containsExactly(9L);
    }

    @Test
    void renewingACheckpointedLeaseAsksTheClusterToClearItsRemainingTtl() {
        reopen(new LessorConfig(2, Duration.ofSeconds(60), false, Duration.ofSeconds(3)));
        lessor.promote(0);
        lessor.grant(9, 300);
        clock.advance(Duration.ofSeconds(60));
        lessor.checkpoint(9, lessor.dueCheckpoints(10).get(0).getRemainingTTL());
        assertThat(lessor.renew(9)).isEqualTo(300);
        assertThat(lessor.dueCheckpoints(10))
                .containsExactly(LeaseCheckpoint.newBuilder().setID(9).setRemainingTTL(0).build());
        assertThat(lessor.timeToLive(9, false).remainingTtl()).isEqualTo(300);
        assertThat(lessor.dueCheckpoints(10)).isEmpty();
    }

    @Test
    void followersNeverOfferCheckpoints() {
        reopen(new LessorConfig(2, Duration.ofSeconds(60), false, Duration.ofSeconds(3)));
        lessor.grant(9, 300);
        clock.advance(Duration.ofSeconds(120));
        assertThat(lessor.dueCheckpoints(10)).isEmpty();
    }
}
