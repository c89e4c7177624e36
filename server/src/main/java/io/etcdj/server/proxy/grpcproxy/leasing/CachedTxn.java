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
import io.etcdj.api.mvccpb.KeyValue;
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
            succeeded &= holds(c, full.get());
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

    private static boolean holds(Compare c, RangeResponse full) {
        if (full.getKvsCount() == 0 && c.getTarget() == Compare.CompareTarget.VALUE) {
            return false;
        }
        KeyValue kv = full.getKvsCount() == 0 ? KeyValue.getDefaultInstance() : full.getKvs(0);
        int cmp = switch (c.getTarget()) {
            case VALUE -> ByteString.unsignedLexicographicalComparator().compare(kv.getValue(), c.getValue());
            case CREATE -> Long.compare(kv.getCreateRevision(), c.getCreateRevision());
            case MOD -> Long.compare(kv.getModRevision(), c.getModRevision());
            case VERSION -> Long.compare(kv.getVersion(), c.getVersion());
            case LEASE -> Long.compare(kv.getLease(), c.getLease());
            default -> 0;
        };
        return switch (c.getResult()) {
            case EQUAL -> cmp == 0;
            case NOT_EQUAL -> cmp != 0;
            case GREATER -> cmp > 0;
            case LESS -> cmp < 0;
            default -> true;
        };
    }
}
