package io.etcdj.mvcc.apply;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.google.protobuf.ByteString;

import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.RangeOptions;
import io.etcdj.mvcc.RangeResult;
import io.etcdj.mvcc.ReadView;

/**
 * A RangeRequest over a view, with etcd's semantics:
 * <ul>
 *   <li>without a sort order or filters the store reads {@code limit + 1} keys to learn {@code more};
 *       with any of them it reads all keys of the range, filters, sorts, then cuts at {@code limit}. Like
 *       etcd, a sort target with order NONE sorts only those first {@code limit + 1} keys;</li>
 *   <li>{@code count} is the number of keys in the range at the read revision, before filters;</li>
 *   <li>a sort target other than KEY with order NONE sorts ascending; KEY/NONE and KEY/ASCEND keep key
 *       order; keys that tie end in the order etcd's Go sort (unstable, deterministic) leaves them
 *       ({@link GoSort});</li>
 *   <li>{@code keys_only} drops values, {@code count_only} returns no key-values;</li>
 *   <li>{@code header.revision} is the view's current revision.</li>
 * </ul>
 */
final class RangeResponses {
    private RangeResponses() {
    }

    static RangeResponse range(ReadView view, RangeRequest r) {
        boolean filtered = r.getMinModRevision() != 0 || r.getMaxModRevision() != 0
                || r.getMinCreateRevision() != 0 || r.getMaxCreateRevision() != 0;
        long limit = r.getLimit();
        if (r.getSortOrder() != RangeRequest.SortOrder.NONE || filtered) {
            limit = 0;
        }
        if (limit > 0) {
            limit++;
        }
        RangeResult rr = view.range(KeyRange.of(r.getKey().toByteArray(), r.getRangeEnd().toByteArray()),
                new RangeOptions(limit, r.getRevision(), r.getCountOnly()));
        List<KeyValue> kvs = rr.kvs();
        if (filtered) {
            kvs = filter(kvs, r);
        }
        RangeRequest.SortOrder order = r.getSortOrder();
        if (r.getSortTarget() != RangeRequest.SortTarget.KEY && order == RangeRequest.SortOrder.NONE) {
            order = RangeRequest.SortOrder.ASCEND;
        }
        if (order != RangeRequest.SortOrder.NONE
                && !(order == RangeRequest.SortOrder.ASCEND && r.getSortTarget() == RangeRequest.SortTarget.KEY)) {
            Comparator<KeyValue> cmp = comparator(r.getSortTarget());
            kvs = new ArrayList<>(kvs);
            GoSort.sort(kvs, order == RangeRequest.SortOrder.DESCEND ? cmp.reversed() : cmp);
        }
        boolean more = false;
        if (r.getLimit() > 0 && kvs.size() > r.getLimit()) {
            kvs = kvs.subList(0, (int) r.getLimit());
            more = true;
        }
        RangeResponse.Builder b = RangeResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(rr.rev()))
                .setCount(rr.count())
                .setMore(more);
        for (KeyValue kv : kvs) {
            b.addKvs(r.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
        }
        return b.build();
    }

    private static List<KeyValue> filter(List<KeyValue> kvs, RangeRequest r) {
        List<KeyValue> out = new ArrayList<>(kvs.size());
        for (KeyValue kv : kvs) {
            if (r.getMaxModRevision() != 0 && kv.getModRevision() > r.getMaxModRevision()) {
                continue;
            }
            if (r.getMinModRevision() != 0 && kv.getModRevision() < r.getMinModRevision()) {
                continue;
            }
            if (r.getMaxCreateRevision() != 0 && kv.getCreateRevision() > r.getMaxCreateRevision()) {
                continue;
            }
            if (r.getMinCreateRevision() != 0 && kv.getCreateRevision() < r.getMinCreateRevision()) {
                continue;
            }
            out.add(kv);
        }
        return out;
    }

    private static Comparator<KeyValue> comparator(RangeRequest.SortTarget target) {
        return switch (target) {
            case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
            case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
            case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
            case VALUE -> (a, b) -> ByteString.unsignedLexicographicalComparator().compare(a.getValue(), b.getValue());
            default -> (a, b) -> ByteString.unsignedLexicographicalComparator().compare(a.getKey(), b.getKey());
        };
    }
}
