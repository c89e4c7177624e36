package io.etcdj.mvcc.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.backend.Backend;

/** Scenarios of etcd behaviour at the request level, with etcd's error texts. */
class KvRequestExecutorTest {
    @TempDir
    Path dir;
    private Backend backend;
    private KvStore store;
    private KvRequestExecutor kv;

    @BeforeEach
    void open() {
        backend = Backend.open(dir);
        store = KvStore.open(backend);
        kv = new KvRequestExecutor(store, lease -> lease == 5);
    }

    @AfterEach
    void close() {
        store.close();
        backend.close();
    }

    private static ByteString s(String v) {
        return ByteString.copyFromUtf8(v);
    }

    private static PutRequest put(String k, String v) {
        return PutRequest.newBuilder().setKey(s(k)).setValue(s(v)).build();
    }

    private static RequestOp op(PutRequest p) {
        return RequestOp.newBuilder().setRequestPut(p).build();
    }

    private static RequestOp op(DeleteRangeRequest d) {
        return RequestOp.newBuilder().setRequestDeleteRange(d).build();
    }

    private static RequestOp op(TxnRequest t) {
        return RequestOp.newBuilder().setRequestTxn(t).build();
    }

    private static DeleteRangeRequest del(String k, String end) {
        return DeleteRangeRequest.newBuilder().setKey(s(k)).setRangeEnd(s(end)).build();
    }

    @Test
    void putValidationUsesEtcdTexts() {
        assertThatThrownBy(() -> kv.put(PutRequest.newBuilder().build())).hasMessage("etcdserver: key is not provided");
        assertThatThrownBy(() -> kv.put(put("a", "v").toBuilder().setIgnoreValue(true).build()))
                .hasMessage("etcdserver: value is provided");
        assertThatThrownBy(() -> kv.put(put("a", "").toBuilder().setLease(5).setIgnoreLease(true).build()))
                .hasMessage("etcdserver: lease is provided");
        assertThatThrownBy(() -> kv.put(put("a", "").toBuilder().setIgnoreValue(true).build()))
                .hasMessage("etcdserver: key not found")
                .extracting(e -> ((MvccException) e).grpcCode()).isEqualTo("INVALID_ARGUMENT");
        assertThatThrownBy(() -> kv.put(put("a", "v").toBuilder().setLease(6).build()))
                .hasMessage("etcdserver: requested lease not found");
        assertThat(store.rev()).isEqualTo(1);
    }

    @Test
    void ignoreValueAndLeaseKeepTheStoredOnes() {
        kv.put(put("a", "v1").toBuilder().setLease(5).build());
        var resp = kv.put(PutRequest.newBuilder().setKey(s("a")).setIgnoreValue(true).setIgnoreLease(true)
                .setPrevKv(true).build());
        assertThat(resp.getPrevKv().getValue().toStringUtf8()).isEqualTo("v1");
        var now = kv.range(RangeRequest.newBuilder().setKey(s("a")).build()).getKvs(0);
        assertThat(now.getValue().toStringUtf8()).isEqualTo("v1");
        assertThat(now.getLease()).isEqualTo(5);
        assertThat(now.getVersion()).isEqualTo(2);
    }

    @Test
    void rangeEndZeroMeansEveryKeyFromKey() {
        kv.put(put("a", "1"));
        kv.put(put("b", "2"));
        kv.put(put("c", "3"));
        var all = kv.range(RangeRequest.newBuilder().setKey(s("\0")).setRangeEnd(s("\0")).build());
        assertThat(all.getCount()).isEqualTo(3);
        var fromB = kv.range(RangeRequest.newBuilder().setKey(s("b")).setRangeEnd(s("\0")).setLimit(1).build());
        assertThat(fromB.getKvsList()).extracting(k -> k.getKey().toStringUtf8()).containsExactly("b");
        assertThat(fromB.getMore()).isTrue();
        assertThat(fromB.getCount()).isEqualTo(2);
        assertThat(fromB.getHeader().getRevision()).isEqualTo(4);
    }

    @Test
    void duplicateKeysInATxnAreRejectedBeforeAnythingIsApplied() {
        TxnRequest twice = TxnRequest.newBuilder().addSuccess(op(put("a", "1"))).addSuccess(op(put("a", "2"))).build();
        assertThatThrownBy(() -> kv.txn(twice)).hasMessage("etcdserver: duplicate key given in txn request");
        TxnRequest putInDeleted = TxnRequest.newBuilder().addSuccess(op(del("a", "c"))).addSuccess(op(put("b", "1"))).build();
        assertThatThrownBy(() -> kv.txn(putInDeleted)).hasMessage(MvccException.DUPLICATE_KEY);
        TxnRequest nested = TxnRequest.newBuilder().addSuccess(op(put("a", "1")))
                .addSuccess(op(TxnRequest.newBuilder().addFailure(op(put("a", "2"))).build())).build();
        assertThatThrownBy(() -> kv.txn(nested)).hasMessage(MvccException.DUPLICATE_KEY);
        assertThat(store.rev()).isEqualTo(1);
    }

    @Test
    void etcdAcceptsTheseOverlaps() {
        // then/else of one nested txn may write the same key; deletes may overlap each other
        TxnRequest branches = TxnRequest.newBuilder().addSuccess(op(TxnRequest.newBuilder()
                .addSuccess(op(put("a", "1"))).addFailure(op(put("a", "2"))).build()))
                .addSuccess(op(TxnRequest.newBuilder().addSuccess(op(del("a", "z"))).build()))
                .addSuccess(op(del("b", "y"))).addSuccess(op(del("b", "x"))).build();
        // a nested txn's puts are checked only against deletes seen before it (this level's and earlier
        // nested txns'), so a later nested txn may delete what an earlier one put
        kv.txn(branches);
        TxnRequest sameLevelDelete = TxnRequest.newBuilder().addSuccess(op(TxnRequest.newBuilder()
                .addSuccess(op(put("a", "1"))).build())).addSuccess(op(del("a", "z"))).build();
        assertThatThrownBy(() -> kv.txn(sameLevelDelete)).hasMessage(MvccException.DUPLICATE_KEY);
        // a delete-range ending in "\0" is an empty interval for the duplicate check
        kv.txn(TxnRequest.newBuilder().addSuccess(op(del("a", "\0"))).addSuccess(op(put("b", "1"))).build());
        assertThat(store.rev()).isEqualTo(3);
    }

    @Test
    void txnComparesAgainstTheStateBeforeTheTxnAndRunsInOneRevision() {
        kv.put(put("a", "1"));
        Compare aIsOne = Compare.newBuilder().setKey(s("a")).setTarget(Compare.CompareTarget.VALUE)
                .setResult(Compare.CompareResult.EQUAL).setValue(s("1")).build();
        TxnRequest inner = TxnRequest.newBuilder().addCompare(aIsOne).addSuccess(op(put("c", "inner"))).build();
        TxnResponse resp = kv.txn(TxnRequest.newBuilder().addCompare(aIsOne)
                .addSuccess(op(put("a", "2"))).addSuccess(op(put("b", "x"))).addSuccess(op(inner)).build());
        assertThat(resp.getSucceeded()).isTrue();
        assertThat(resp.getHeader().getRevision()).isEqualTo(3);
        assertThat(resp.getResponses(2).getResponseTxn().getSucceeded()).isTrue();
        assertThat(kv.range(RangeRequest.newBuilder().setKey(s("a")).setRangeEnd(s("\0")).build()).getKvsList())
                .allSatisfy(k -> assertThat(k.getModRevision()).isEqualTo(3));
    }

    @Test
    void compareOnAMissingKeyUsesZeroesButValueComparesFail() {
        Compare versionZero = Compare.newBuilder().setKey(s("nope")).setTarget(Compare.CompareTarget.VERSION)
                .setResult(Compare.CompareResult.EQUAL).setVersion(0).build();
        Compare emptyValue = Compare.newBuilder().setKey(s("nope")).setTarget(Compare.CompareTarget.VALUE)
                .setResult(Compare.CompareResult.EQUAL).setValue(ByteString.EMPTY).build();
        assertThat(kv.txn(TxnRequest.newBuilder().addCompare(versionZero).build()).getSucceeded()).isTrue();
        assertThat(kv.txn(TxnRequest.newBuilder().addCompare(emptyValue).build()).getSucceeded()).isFalse();
    }

    @Test
    void compactionErrorsAndHistoricalReads() {
        kv.put(put("a", "1")); // 2
        kv.put(put("a", "2")); // 3
        kv.put(put("a", "3")); // 4
        var c = kv.compact(CompactionRequest.newBuilder().setRevision(3).build());
        assertThat(c.response().getHeader().getRevision()).isEqualTo(4);
        c.physical().join();
        assertThatThrownBy(() -> kv.compact(CompactionRequest.newBuilder().setRevision(3).build()))
                .hasMessage("etcdserver: mvcc: required revision has been compacted");
        assertThatThrownBy(() -> kv.compact(CompactionRequest.newBuilder().setRevision(9).build()))
                .hasMessage("etcdserver: mvcc: required revision is a future revision");
        assertThat(kv.range(RangeRequest.newBuilder().setKey(s("a")).setRevision(3).build()).getKvs(0)
                .getValue().toStringUtf8()).isEqualTo("2");
        assertThatThrownBy(() -> kv.range(RangeRequest.newBuilder().setKey(s("a")).setRevision(2).build()))
                .hasMessage(MvccException.COMPACTED);
        RequestOp oldRead = RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(s("a")).setRevision(2)).build();
        assertThatThrownBy(() -> kv.txn(TxnRequest.newBuilder().addSuccess(oldRead).addSuccess(op(put("b", "1"))).build()))
                .hasMessage(MvccException.COMPACTED);
        assertThat(store.rev()).isEqualTo(4);
    }

    @Test
    void anEmptyRequestOpIsRejectedLikeEtcd() {
        assertThatThrownBy(() -> kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.getDefaultInstance()).build()))
                .hasMessage(MvccException.KEY_NOT_FOUND);
    }
}
