package io.etcdj.mvcc.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;

import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.CompactionResponse;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.ResponseOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.RangeOptions;
import io.etcdj.mvcc.ReadView;
import io.etcdj.mvcc.TxnRead;
import io.etcdj.mvcc.TxnWrite;
import io.etcdj.mvcc.WriteView;

/**
 * Applies etcd KV requests to a {@link KvStore} with etcd's semantics and error texts. Responses carry
 * {@code header.revision} only; the server fills cluster id, member id and raft term. Every request is
 * validated ({@link RequestValidator}) and, for txns, fully checked before anything is written, so a
 * failed request changes nothing.
 *
 * <p>Txn: the guards of the txn and of every nested txn on the chosen path are evaluated first, all
 * against the state before the txn; then (if the txn writes on any branch) puts with
 * {@code ignore_value}/{@code ignore_lease} must find their key and leases must exist, and ranges with a
 * revision must be neither compacted (below the compaction revision; negative counts as compacted) nor
 * future; then the chosen branch runs in one write transaction (one revision). Nested responses carry
 * their own header revision (a nested TxnResponse an empty header), as etcd's do.
 */
public final class KvRequestExecutor {
    private final KvStore store;
    private final LongPredicate leaseExists;

    /**
     * @param leaseExists whether a lease id is granted (the lessor's lookup); puts naming an absent
     *     lease fail with {@link MvccException#leaseNotFound()}
     */
    public KvRequestExecutor(KvStore store, LongPredicate leaseExists) {
        this.store = store;
        this.leaseExists = leaseExists;
    }

    public RangeResponse range(RangeRequest r) {
        RequestValidator.validateRange(r);
        try (TxnRead txn = store.read()) {
            return RangeResponses.range(txn, r);
        }
    }

    public PutResponse put(PutRequest r) {
        RequestValidator.validatePut(r);
        if (r.getLease() != 0 && !leaseExists.test(r.getLease())) {
            throw MvccException.leaseNotFound();
        }
        try (TxnWrite txn = store.write()) {
            return put(txn, r, 0);
        }
    }

    public DeleteRangeResponse deleteRange(DeleteRangeRequest r) {
        RequestValidator.validateDeleteRange(r);
        try (TxnWrite txn = store.write()) {
            return deleteRange(txn, r);
        }
    }

    public TxnResponse txn(TxnRequest r) {
        RequestValidator.validateTxn(r);
        boolean writes = writes(r);
        try (TxnRead txn = writes ? store.write() : store.read()) {
            List<Boolean> path = new ArrayList<>();
            choosePath(txn, r, path);
            if (writes) {
                checkPuts(txn, r, new PathCursor(path));
            }
            checkRanges(txn, r, new PathCursor(path));
            TxnResponse.Builder resp;
            try {
                resp = apply(txn, r, new PathCursor(path));
            } catch (RuntimeException e) {
                if (txn instanceof TxnWrite w) {
                    w.abort();
                }
                throw new IllegalStateException("unexpected error during txn", e);
            }
            return resp.setHeader(ResponseHeader.newBuilder().setRevision(txn.rev())).build();
        }
    }

    /**
     * Compacts the store. The future completes when the physical deletion is done (what
     * {@code physical=true} waits for).
     */
    public CompactionResult compact(CompactionRequest r) {
        CompletableFuture<Void> physical = store.compact(r.getRevision());
        CompactionResponse resp = CompactionResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(store.rev())).build();
        return new CompactionResult(resp, physical);
    }

    /** A compaction's response and the completion of its physical deletion. */
    public record CompactionResult(CompactionResponse response, CompletableFuture<Void> physical) {
    }

    // ------------------------------------------------------------------ single operations

    /**
     * @param txnStart the revision before the enclosing txn (ignored for a plain put): where a put with
     *     {@code ignore_value}/{@code ignore_lease} takes the value/lease from if an earlier delete of the
     *     same txn removed the key (etcd 3.4/3.5 panic in that case; the pre-check saw the key)
     */
    private PutResponse put(TxnWrite txn, PutRequest r, long txnStart) {
        PutResponse.Builder resp = PutResponse.newBuilder();
        byte[] key = r.getKey().toByteArray();
        KeyValue prev = null;
        boolean ignore = r.getIgnoreValue() || r.getIgnoreLease();
        if (ignore || r.getPrevKv()) {
            List<KeyValue> kvs = txn.range(KeyRange.single(key), RangeOptions.LATEST).kvs();
            prev = kvs.isEmpty() ? null : kvs.get(0);
        }
        KeyValue source = prev;
        if (ignore && source == null && txnStart > 0) {
            List<KeyValue> kvs = txn.range(KeyRange.single(key), RangeOptions.atRevision(txnStart)).kvs();
            source = kvs.isEmpty() ? null : kvs.get(0);
        }
        if (ignore && source == null) {
            throw MvccException.keyNotFound();
        }
        byte[] value = r.getIgnoreValue() ? source.getValue().toByteArray() : r.getValue().toByteArray();
        long lease = r.getIgnoreLease() ? source.getLease() : r.getLease();
        if (r.getPrevKv() && prev != null) {
            resp.setPrevKv(prev);
        }
        long rev = txn.put(key, value, lease);
        return resp.setHeader(ResponseHeader.newBuilder().setRevision(rev)).build();
    }

    private DeleteRangeResponse deleteRange(TxnWrite txn, DeleteRangeRequest r) {
        DeleteRangeResponse.Builder resp = DeleteRangeResponse.newBuilder();
        KeyRange range = KeyRange.of(r.getKey().toByteArray(), r.getRangeEnd().toByteArray());
        if (r.getPrevKv()) {
            resp.addAllPrevKvs(txn.range(range, RangeOptions.LATEST).kvs());
        }
        WriteView.DeleteResult d = txn.deleteRange(range);
        return resp.setDeleted(d.deleted()).setHeader(ResponseHeader.newBuilder().setRevision(d.rev())).build();
    }

    // ------------------------------------------------------------------ txn

    private static boolean writes(TxnRequest r) {
        return writes(r.getSuccessList()) || writes(r.getFailureList());
    }

    private static boolean writes(List<RequestOp> ops) {
        for (RequestOp op : ops) {
            if (op.hasRequestPut() || op.hasRequestDeleteRange()
                    || (op.hasRequestTxn() && writes(op.getRequestTxn()))) {
                return true;
            }
        }
        return false;
    }

    /** The guard results of {@code r} and of the nested txns on the chosen path, in pre-order. */
    private static void choosePath(ReadView view, TxnRequest r, List<Boolean> path) {
        boolean ok = Compares.all(view, r.getCompareList());
        path.add(ok);
        for (RequestOp op : ok ? r.getSuccessList() : r.getFailureList()) {
            if (op.hasRequestTxn()) {
                choosePath(view, op.getRequestTxn(), path);
            }
        }
    }

    /** Walks the chosen path in the same pre-order as {@link #choosePath}. */
    private static final class PathCursor {
        private final List<Boolean> path;
        private int next;

        PathCursor(List<Boolean> path) {
            this.path = path;
        }

        boolean take() {
            return path.get(next++);
        }
    }

    private void checkPuts(ReadView view, TxnRequest r, PathCursor path) {
        for (RequestOp op : path.take() ? r.getSuccessList() : r.getFailureList()) {
            if (op.hasRequestTxn()) {
                checkPuts(view, op.getRequestTxn(), path);
            } else if (op.hasRequestPut()) {
                PutRequest p = op.getRequestPut();
                if ((p.getIgnoreValue() || p.getIgnoreLease())
                        && view.range(KeyRange.single(p.getKey().toByteArray()), RangeOptions.LATEST).count() == 0) {
                    throw MvccException.keyNotFound();
                }
                if (p.getLease() != 0 && !leaseExists.test(p.getLease())) {
                    throw MvccException.leaseNotFound();
                }
            }
        }
    }

    private static void checkRanges(ReadView view, TxnRequest r, PathCursor path) {
        for (RequestOp op : path.take() ? r.getSuccessList() : r.getFailureList()) {
            if (op.hasRequestTxn()) {
                checkRanges(view, op.getRequestTxn(), path);
            } else if (op.hasRequestRange()) {
                long rev = op.getRequestRange().getRevision();
                if (rev == 0) {
                    continue;
                }
                if (rev > view.rev()) {
                    throw MvccException.futureRevision();
                }
                if (rev < view.firstRev()) {
                    throw MvccException.compacted();
                }
            }
        }
    }

    private TxnResponse.Builder apply(TxnRead txn, TxnRequest r, PathCursor path) {
        return apply(txn, r, path, txn.rev());
    }

    private TxnResponse.Builder apply(TxnRead txn, TxnRequest r, PathCursor path, long txnStart) {
        boolean succeeded = path.take();
        TxnResponse.Builder resp = TxnResponse.newBuilder().setSucceeded(succeeded);
        for (RequestOp op : succeeded ? r.getSuccessList() : r.getFailureList()) {
            ResponseOp.Builder out = ResponseOp.newBuilder();
            switch (op.getRequestCase()) {
                case REQUEST_RANGE -> out.setResponseRange(RangeResponses.range(txn, op.getRequestRange()));
                case REQUEST_PUT -> out.setResponsePut(put((TxnWrite) txn, op.getRequestPut(), txnStart));
                case REQUEST_DELETE_RANGE -> out.setResponseDeleteRange(
                        deleteRange((TxnWrite) txn, op.getRequestDeleteRange()));
                case REQUEST_TXN -> out.setResponseTxn(apply(txn, op.getRequestTxn(), path, txnStart)
                        .setHeader(ResponseHeader.getDefaultInstance()));
                default -> {
                    // etcd answers an empty RequestOp with an empty ResponseOp
                }
            }
            resp.addResponses(out);
        }
        return resp;
    }
}
