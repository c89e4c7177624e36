package io.etcdj.mvcc.apply;

import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.mvcc.MvccException;

/**
 * The request checks etcd makes before a request reaches raft (its gRPC layer), in etcd's order. The
 * server should call these before proposing; {@link KvRequestExecutor} repeats them before applying. The
 * max-ops-per-txn limit is the server's ({@code --max-txn-ops}) and is checked there, before these.
 */
public final class RequestValidator {
    private RequestValidator() {
    }

    public static void validateRange(RangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw MvccException.emptyKey();
        }
        if (r.getSortOrder() == RangeRequest.SortOrder.UNRECOGNIZED
                || r.getSortTarget() == RangeRequest.SortTarget.UNRECOGNIZED) {
            throw MvccException.invalidSortOption();
        }
    }

    public static void validatePut(PutRequest r) {
        if (r.getKey().isEmpty()) {
            throw MvccException.emptyKey();
        }
        if (r.getIgnoreValue() && !r.getValue().isEmpty()) {
            throw MvccException.valueProvided();
        }
        if (r.getIgnoreLease() && r.getLease() != 0) {
            throw MvccException.leaseProvided();
        }
    }

    public static void validateDeleteRange(DeleteRangeRequest r) {
        if (r.getKey().isEmpty()) {
            throw MvccException.emptyKey();
        }
    }

    /** Every compare and nested request, then the duplicate-key rule ({@link TxnConflicts}). */
    public static void validateTxn(TxnRequest r) {
        validateTxnOps(r);
        TxnConflicts.check(r);
    }

    private static void validateTxnOps(TxnRequest r) {
        for (Compare c : r.getCompareList()) {
            if (c.getKey().isEmpty()) {
                throw MvccException.emptyKey();
            }
        }
        for (RequestOp op : r.getSuccessList()) {
            validateOp(op);
        }
        for (RequestOp op : r.getFailureList()) {
            validateOp(op);
        }
    }

    private static void validateOp(RequestOp op) {
        switch (op.getRequestCase()) {
            case REQUEST_RANGE -> validateRange(op.getRequestRange());
            case REQUEST_PUT -> validatePut(op.getRequestPut());
            case REQUEST_DELETE_RANGE -> validateDeleteRange(op.getRequestDeleteRange());
            case REQUEST_TXN -> validateTxnOps(op.getRequestTxn());
            default -> throw MvccException.keyNotFound(); // etcd's answer to an empty RequestOp
        }
    }
}
