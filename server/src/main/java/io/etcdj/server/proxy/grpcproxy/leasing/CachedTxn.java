package io.etcdj.server.proxy.grpcproxy.leasing;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.ResponseOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.mvcc.apply.Compares;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A read-only txn answered from owned keys, as etcd's leasing KV answers one: only when every
 * compare names one owned key and every range of the branch taken reads one owned key at the
 * current revision; otherwise (a range, a nested txn, a key not owned) the cluster answers. Compares
 * hold as the cluster evaluates them: a missing key compares as an all-zero one, except that a
 * VALUE compare on it fails. The header is the newest of the entries read.
 */
final class CachedTxn {
    private CachedTxn() {}

    /**
     * @param owned the full single-key answer the cache holds for a key it may answer now (empty:
     *              not owned, or being written)
     */
    static Optional<TxnResponse> answer(TxnRequest t, Function<ByteString, Optional<RangeResponse>> owned) {
        ResponseHeader newest = null;
        boolean succeeded = true;
        for (Compare c : t.getCompareList()) {
            Optional<RangeResponse> full = c.getRangeEnd().isEmpty() ? owned.apply(c.getKey()) : Optional.empty();
            if (full.isEmpty()) {
                return Optional.empty();
            }
            newest = newer(newest, full.get().getHeader());
            succeeded &= Compares.holds(c, full.get().getKvsList());
        }
        List<RequestOp> branch = succeeded ? t.getSuccessList() : t.getFailureList();
        TxnResponse.Builder b = TxnResponse.newBuilder().setSucceeded(succeeded);
        for (RequestOp op : branch) {
            if (!op.hasRequestRange() || !OwnedKeyCache.answerable(op.getRequestRange())) {
                return Optional.empty();
            }
            RangeRequest r = op.getRequestRange();
            Optional<RangeResponse> full = owned.apply(r.getKey());
            if (full.isEmpty()) {
                return Optional.empty();
            }
            newest = newer(newest, full.get().getHeader());
            b.addResponses(ResponseOp.newBuilder().setResponseRange(
                    OwnedKeyCache.answer(full.get(), r).toBuilder().clearHeader()));
        }
        return newest == null ? Optional.empty() : Optional.of(b.setHeader(newest).build());
    }

    private static ResponseHeader newer(ResponseHeader a, ResponseHeader b) {
        return a == null || b.getRevision() > a.getRevision() ? b : a;
    }
}
