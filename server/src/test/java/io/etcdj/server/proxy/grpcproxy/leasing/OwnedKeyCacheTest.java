package io.etcdj.server.proxy.grpcproxy.leasing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.KeyValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The owned-key cache on its own: what it answers for an owned key and the request's options; a
 * key being written is not answered; a give-up refuses an acquisition that started before it and
 * holds off new ones for the backoff; a deleted ownership key drops only an older ownership; a
 * new session forgets everything.
 */
class OwnedKeyCacheTest {
    private static final long LEASE = 7;

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final OwnedKeyCache cache = new OwnedKeyCache(new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    });

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static RangeResponse at(long rev, String key, String value) {
        return RangeResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(rev)).setCount(1)
                .addKvs(KeyValue.newBuilder().setKey(b(key)).setValue(b(value)).setCreateRevision(2)
                        .setModRevision(rev).setVersion(1)).build();
    }

    private String read(String key) {
        return cache.read(b(key), RangeRequest.newBuilder().setKey(b(key)).build())
                .map(r -> r.getKvsCount() == 0 ? "<none>" : r.getKvs(0).getValue().toStringUtf8()).orElse("<miss>");
    }

    @Test
    void anOwnedKeyIsAnsweredWithTheRequestsOptionsAndKeptCurrentByTheOwnersWrites() {
        cache.reset(LEASE);
        assertThat(cache.add(b("k"), at(5, "k", "v1"), 5, LEASE)).isTrue();
        assertThat(read("k")).isEqualTo("v1");
        RangeRequest keysOnly = RangeRequest.newBuilder().setKey(b("k")).setKeysOnly(true).build();
        assertThat(cache.read(b("k"), keysOnly).orElseThrow().getKvs(0).getValue()).isEmpty();
        RangeRequest countOnly = RangeRequest.newBuilder().setKey(b("k")).setCountOnly(true).build();
        assertThat(cache.read(b("k"), countOnly).orElseThrow().getKvsCount()).isZero();
        assertThat(cache.read(b("k"), countOnly).orElseThrow().getCount()).isEqualTo(1);
        RangeRequest newer = RangeRequest.newBuilder().setKey(b("k")).setMinModRevision(6).build();
        assertThat(cache.read(b("k"), newer).orElseThrow().getKvsCount()).isZero();

        assertThat(cache.beginWrite(b("k"))).as("owned since").isEqualTo(5);
        assertThat(read("k")).as("while the owner writes it").isEqualTo("<miss>");
        cache.put(b("k"), b("v2"), ResponseHeader.newBuilder().setRevision(9).build());
        cache.endWrite(b("k"));
        RangeResponse after = cache.read(b("k"), RangeRequest.newBuilder().setKey(b("k")).build()).orElseThrow();
        assertThat(after.getKvs(0).getValue().toStringUtf8()).isEqualTo("v2");
        assertThat(after.getKvs(0).getModRevision()).isEqualTo(9);
        assertThat(after.getKvs(0).getVersion()).isEqualTo(2);
        assertThat(after.getHeader().getRevision()).isEqualTo(9);

        cache.deleted(b("a"), b("z"), ResponseHeader.newBuilder().setRevision(10).build());
        assertThat(read("k")).isEqualTo("<none>");
        cache.put(b("k"), b("v3"), ResponseHeader.newBuilder().setRevision(11).build());
        assertThat(cache.read(b("k"), RangeRequest.newBuilder().setKey(b("k")).build()).orElseThrow().getKvs(0))
                .satisfies(kv -> {
                    assertThat(kv.getCreateRevision()).isEqualTo(11);
                    assertThat(kv.getVersion()).isEqualTo(1);
                });
    }

    @Test
    void aGiveUpRefusesAnOlderAcquisitionAndHoldsOffNewOnesForTheBackoff() {
        cache.reset(LEASE);
        assertThat(cache.mayAcquire(b("k"))).isTrue();
        cache.giveUp(b("k"), 8); // asked to revoke at 8 while an acquisition at 6 was in flight
        assertThat(cache.add(b("k"), at(6, "k", "v"), 6, LEASE)).isFalse();
        assertThat(read("k")).isEqualTo("<miss>");
        assertThat(cache.mayAcquire(b("k"))).isFalse();
        now = now.plus(OwnedKeyCache.BACKOFF).plusMillis(1);
        assertThat(cache.mayAcquire(b("k"))).isTrue();
        assertThat(cache.add(b("k"), at(12, "k", "v"), 12, LEASE)).isTrue();
        assertThat(read("k")).isEqualTo("v");
    }

    @Test
    void aDeletedOwnershipKeyDropsOnlyAnOlderOwnershipAndANewSessionForgetsAll() {
        cache.reset(LEASE);
        cache.add(b("k"), at(12, "k", "v"), 12, LEASE);
        cache.lost(b("k"), 10); // the deletion of an ownership before ours
        assertThat(read("k")).isEqualTo("v");
        cache.lost(b("k"), 13);
        assertThat(read("k")).isEqualTo("<miss>");
        assertThat(cache.add(b("k"), at(12, "k", "v"), 12, LEASE)).as("an acquisition from before the deletion").isFalse();

        cache.add(b("other"), at(14, "other", "v"), 14, LEASE);
        assertThat(cache.add(b("old-session"), at(14, "old-session", "v"), 14, LEASE + 1)).isFalse();
        cache.reset(LEASE + 1);
        assertThat(cache.size()).isZero();
        assertThat(cache.add(b("late"), at(15, "late", "v"), 15, LEASE)).as("an acquisition under the old lease").isFalse();
    }

    @Test
    void aReadOnlyTxnIsAnsweredOnlyWhenEveryKeyItNamesIsOwnedAndNotBeingWritten() {
        cache.reset(LEASE);
        cache.add(b("k"), at(5, "k", "v"), 5, LEASE);
        cache.add(b("gone"), RangeResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(7)).build(), 7, LEASE);
        TxnRequest t = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(b("k")).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.EQUAL).setValue(b("v")))
                .addCompare(Compare.newBuilder().setKey(b("gone")).setTarget(Compare.CompareTarget.VERSION)
                        .setResult(Compare.CompareResult.EQUAL).setVersion(0))
                .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(b("k")).setKeysOnly(true)))
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(b("elsewhere"))))
                .build();
        TxnResponse r = cache.readOnlyTxn(t).orElseThrow();
        assertThat(r.getSucceeded()).isTrue();
        assertThat(r.getHeader().getRevision()).as("the newest entry read").isEqualTo(7);
        assertThat(r.getResponses(0).getResponseRange().getKvs(0).getKey().toStringUtf8()).isEqualTo("k");
        assertThat(r.getResponses(0).getResponseRange().getKvs(0).getValue()).isEmpty();

        TxnRequest valueOfMissing = t.toBuilder().setCompare(1, t.getCompare(1).toBuilder()
                .setTarget(Compare.CompareTarget.VALUE).setValue(ByteString.EMPTY)).build();
        assertThat(cache.readOnlyTxn(valueOfMissing)).as("the failure branch reads a key not owned").isEmpty();
        cache.beginWrite(b("k"));
        assertThat(cache.readOnlyTxn(t)).as("while k is written").isEmpty();
        cache.endWrite(b("k"));
        TxnRequest ranged = t.toBuilder().setCompare(0, t.getCompare(0).toBuilder().setRangeEnd(b("l"))).build();
        assertThat(cache.readOnlyTxn(ranged)).isEmpty();
    }
}
