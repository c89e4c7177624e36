package io.etcdj.server.v3;

import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.CompactionResponse;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.apply.RequestValidator;
import io.etcdj.server.EtcdError;
import io.etcdj.server.EtcdServer;
import io.grpc.stub.StreamObserver;

/** etcdserverpb.KV: validates as etcd's gRPC layer does, then calls the {@link EtcdServer}. */
public final class KvService extends KVGrpc.KVImplBase {
    private final EtcdServer server;
    private final long maxTxnOps;

    public KvService(EtcdServer server, long maxTxnOps) {
        this.server = server;
        this.maxTxnOps = maxTxnOps;
    }

    @Override
    public void range(RangeRequest request, StreamObserver<RangeResponse> out) {
        if (valid(out, () -> RequestValidator.validateRange(request))) {
            GrpcReplies.reply(TokenInterceptor.asCaller(server, caller -> server.range(request, caller)), out);
        }
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> out) {
        if (valid(out, () -> RequestValidator.validatePut(request))) {
            GrpcReplies.reply(TokenInterceptor.asCaller(server, caller -> server.put(request, caller)), out);
        }
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> out) {
        if (valid(out, () -> RequestValidator.validateDeleteRange(request))) {
            GrpcReplies.reply(TokenInterceptor.asCaller(server, caller -> server.deleteRange(request, caller)), out);
        }
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> out) {
        if (tooManyOps(request, maxTxnOps)) {
            GrpcReplies.fail(out, EtcdError.TOO_MANY_OPS);
            return;
        }
        if (valid(out, () -> RequestValidator.validateTxn(request))) {
            GrpcReplies.reply(TokenInterceptor.asCaller(server, caller -> server.txn(request, caller)), out);
        }
    }

    @Override
    public void compact(CompactionRequest request, StreamObserver<CompactionResponse> out) {
        GrpcReplies.reply(server.compact(request), out);
    }

    /**
     * etcd's limit: at every txn level, the largest of the compare, success and failure lists
     * must not exceed --max-txn-ops; nested txns are checked the same way.
     */
    static boolean tooManyOps(TxnRequest r, long maxTxnOps) {
        long ops = Math.max(r.getCompareCount(), Math.max(r.getSuccessCount(), r.getFailureCount()));
        if (ops > maxTxnOps) {
            return true;
        }
        for (RequestOp op : r.getSuccessList()) {
            if (op.hasRequestTxn() && tooManyOps(op.getRequestTxn(), maxTxnOps)) {
                return true;
            }
        }
        for (RequestOp op : r.getFailureList()) {
            if (op.hasRequestTxn() && tooManyOps(op.getRequestTxn(), maxTxnOps)) {
                return true;
            }
        }
        return false;
    }

    private static boolean valid(StreamObserver<?> out, Runnable check) {
        try {
            check.run();
            return true;
        } catch (MvccException e) {
            out.onError(GrpcReplies.toStatus(e));
            return false;
        }
    }
}
