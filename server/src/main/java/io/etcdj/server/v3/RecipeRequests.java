package io.etcdj.server.v3;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.apply.RequestValidator;
import io.etcdj.server.EtcdServer;
import io.etcdj.server.auth.Caller;
import java.util.concurrent.CompletableFuture;

/**
 * The KV requests the lock and election recipes are made of. Both keep their contenders under
 * {@code name + "/"}, one key per lease ({@link #contenderKey}); the contender with the smallest
 * create revision holds the lock or leads.
 */
final class RecipeRequests {
    private RecipeRequests() {}

    /** {@code name + "/"}: every contender's key starts with it. */
    static ByteString prefix(ByteString name) {
        return name.concat(ByteString.copyFromUtf8("/"));
    }

    /** {@code name/<lease in lowercase hex>}, as Go's {@code %x} prints an int64. */
    static ByteString contenderKey(ByteString name, long lease) {
        String hex = lease < 0 ? "-" + Long.toHexString(-lease) : Long.toHexString(lease);
        return prefix(name).concat(ByteString.copyFromUtf8(hex));
    }

    /** The end of the range of every key starting with {@code prefix} (etcd's prefix rule). */
    static ByteString prefixEnd(ByteString prefix) {
        KeyRange r = KeyRange.prefix(prefix.toByteArray());
        return r.isUnbounded() ? ByteString.copyFrom(new byte[] {0}) : ByteString.copyFrom(r.end());
    }

    /** The key under {@code prefix} with the smallest create revision (the holder / leader). */
    static RangeRequest firstCreated(ByteString prefix) {
        return RangeRequest.newBuilder().setKey(prefix).setRangeEnd(prefixEnd(prefix))
                .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(RangeRequest.SortOrder.ASCEND)
                .setLimit(1).build();
    }

    /** The key under {@code prefix} with the largest create revision not above {@code maxCreateRev}. */
    static RangeRequest lastCreatedUpTo(ByteString prefix, long maxCreateRev) {
        return RangeRequest.newBuilder().setKey(prefix).setRangeEnd(prefixEnd(prefix))
                .setSortTarget(RangeRequest.SortTarget.CREATE).setSortOrder(RangeRequest.SortOrder.DESCEND)
                .setMaxCreateRevision(maxCreateRev).setLimit(1).build();
    }

    static Compare createRevisionIs(ByteString key, long rev) {
        return Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
                .setResult(Compare.CompareResult.EQUAL).setCreateRevision(rev).build();
    }

    static RequestOp put(ByteString key, ByteString value, long lease) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key).setValue(value).setLease(lease))
                .build();
    }

    static RequestOp get(ByteString key) {
        return RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(key)).build();
    }

    static RequestOp range(RangeRequest r) {
        return RequestOp.newBuilder().setRequestRange(r).build();
    }

    /**
     * Proposes {@code txn} after the checks etcd's KV service makes (etcd's recipes call it as a
     * client would): a key given by the client may be empty ("etcdserver: key is not provided").
     * Checked against {@code caller}'s permissions: etcd's recipes pass the request's token on.
     */
    static CompletableFuture<TxnResponse> txn(EtcdServer server, Caller caller, TxnRequest txn) {
        try {
            RequestValidator.validateTxn(txn);
        } catch (RuntimeException invalid) {
            return CompletableFuture.failedFuture(invalid);
        }
        return server.txn(txn, caller);
    }

    static RequestOp delete(ByteString key) {
        return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(key)).build();
    }
}
