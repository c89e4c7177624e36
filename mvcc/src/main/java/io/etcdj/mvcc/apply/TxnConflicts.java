package io.etcdj.mvcc.apply;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.google.protobuf.ByteString;

import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.mvcc.MvccException;

/**
 * etcd's rule for conflicting writes in one txn branch, mirrored exactly (stricter would reject
 * transactions etcd accepts): two puts of one key conflict, a put inside a delete's interval
 * conflicts, deletes never conflict with each other; puts in the success and failure branches of one
 * nested txn may repeat a key (only one branch runs). Intervals compare literally: a delete with
 * {@code range_end = "\0"} is the empty interval {@code [key, "\0")} here, as in etcd.
 */
public final class TxnConflicts {
    private TxnConflicts() {
    }

    /** Throws {@link MvccException#duplicateKey()} if either branch of {@code txn} has conflicting writes. */
    public static void check(TxnRequest txn) {
        writesOf(txn.getSuccessList());
        writesOf(txn.getFailureList());
    }

    private record Interval(ByteString begin, ByteString end) {
        boolean contains(ByteString k) {
            return ByteString.unsignedLexicographicalComparator().compare(begin, k) <= 0
                    && ByteString.unsignedLexicographicalComparator().compare(k, end) < 0;
        }
    }

    private record Writes(Set<ByteString> puts, List<Interval> deletes) {
        boolean deleted(ByteString k) {
            for (Interval iv : deletes) {
                if (iv.contains(k)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static Writes writesOf(List<RequestOp> ops) {
        Writes w = new Writes(new HashSet<>(), new ArrayList<>());
        for (RequestOp op : ops) {
            if (op.hasRequestDeleteRange()) {
                DeleteRangeRequest d = op.getRequestDeleteRange();
                ByteString end = d.getRangeEnd().isEmpty() ? d.getKey().concat(ByteString.copyFrom(new byte[1]))
                        : d.getRangeEnd();
                w.deletes.add(new Interval(d.getKey(), end));
            }
        }
        for (RequestOp op : ops) {
            if (!op.hasRequestTxn()) {
                continue;
            }
            Writes then = writesOf(op.getRequestTxn().getSuccessList());
            Writes otherwise = writesOf(op.getRequestTxn().getFailureList());
            for (ByteString k : then.puts) {
                if (w.puts.contains(k) || w.deleted(k)) {
                    throw MvccException.duplicateKey();
                }
                w.puts.add(k);
            }
            for (ByteString k : otherwise.puts) {
                if ((w.puts.contains(k) && !then.puts.contains(k)) || w.deleted(k)) {
                    throw MvccException.duplicateKey();
                }
                w.puts.add(k);
            }
            w.deletes.addAll(then.deletes);
            w.deletes.addAll(otherwise.deletes);
        }
        for (RequestOp op : ops) {
            if (!op.hasRequestPut()) {
                continue;
            }
            ByteString k = op.getRequestPut().getKey();
            if (w.puts.contains(k) || w.deleted(k)) {
                throw MvccException.duplicateKey();
            }
            w.puts.add(k);
        }
        return w;
    }
}
