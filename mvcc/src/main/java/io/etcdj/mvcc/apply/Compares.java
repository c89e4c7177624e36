package io.etcdj.mvcc.apply;

import java.util.List;

import com.google.protobuf.ByteString;

import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.RangeOptions;
import io.etcdj.mvcc.ReadView;

/**
 * Evaluates txn guards as etcd does: a compare over a range holds when it holds for every key in it;
 * over no key at all it is evaluated against an all-zero key-value, except that a VALUE compare on
 * missing keys always fails. A target union of another kind than the target counts as zero / empty.
 */
public final class Compares {
    private Compares() {
    }

    static boolean all(ReadView view, List<Compare> compares) {
        for (Compare c : compares) {
            if (!holds(view, c)) {
                return false;
            }
        }
        return true;
    }

    static boolean holds(ReadView view, Compare c) {
        return holds(c, view.range(
                KeyRange.of(c.getKey().toByteArray(), c.getRangeEnd().toByteArray()), RangeOptions.LATEST).kvs());
    }

    /** Whether {@code c} holds over {@code kvs}, the key-values its range holds (the gRPC proxy's cache asks too). */
    public static boolean holds(Compare c, List<KeyValue> kvs) {
        if (kvs.isEmpty()) {
            return c.getTarget() != Compare.CompareTarget.VALUE && holds(c, KeyValue.getDefaultInstance());
        }
        for (KeyValue kv : kvs) {
            if (!holds(c, kv)) {
                return false;
            }
        }
        return true;
    }

    private static boolean holds(Compare c, KeyValue kv) {
        int cmp = switch (c.getTarget()) {
            case VALUE -> ByteString.unsignedLexicographicalComparator().compare(kv.getValue(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.VALUE ? c.getValue() : ByteString.EMPTY);
            case CREATE -> Long.compare(kv.getCreateRevision(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.CREATE_REVISION ? c.getCreateRevision() : 0);
            case MOD -> Long.compare(kv.getModRevision(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.MOD_REVISION ? c.getModRevision() : 0);
            case VERSION -> Long.compare(kv.getVersion(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.VERSION ? c.getVersion() : 0);
            case LEASE -> Long.compare(kv.getLease(),
                    c.getTargetUnionCase() == Compare.TargetUnionCase.LEASE ? c.getLease() : 0);
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
