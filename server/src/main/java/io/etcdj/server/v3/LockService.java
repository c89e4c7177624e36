package io.etcdj.server.v3;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.v3lockpb.LockGrpc;
import io.etcdj.api.v3lockpb.LockRequest;
import io.etcdj.api.v3lockpb.LockResponse;
import io.etcdj.api.v3lockpb.UnlockRequest;
import io.etcdj.api.v3lockpb.UnlockResponse;
import io.etcdj.mvcc.apply.RequestValidator;
import io.etcdj.server.EtcdServer;
import io.etcdj.server.auth.Caller;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * v3lockpb.Lock: a distributed mutex over the KV API, as etcd's server-side recipe.
 *
 * <p>Lock(name, lease): the contender's key is {@code name/<lease hex>} (no value, attached to the
 * lease), created in one txn unless it exists already (then it is reused: a lease that holds the
 * lock gets it again at once). The caller holds the lock once no key under {@code name/} has a
 * smaller create revision; until then the call waits ({@link PriorContendersGone}) without a
 * thread. The reply carries the key and the header of the read that found the way free. If the
 * wait ends without the lock (the client cancelled, or an error), the key is deleted, so an
 * abandoned attempt never blocks the contenders behind it.
 *
 * <p>Unlock(key) deletes the key; deleting a key that is not there succeeds.
 *
 * <p>Auth: every read and write is made as the call's token's user (etcd's recipe hands the
 * token on to its in-process client), so a user without permission on {@code name/} is refused
 * with UNKNOWN "etcdserver: permission denied" (no token: "etcdserver: user name is empty").
 */
public final class LockService extends LockGrpc.LockImplBase {
    private final EtcdServer server;
    private final Executor watchThreads;

    public LockService(EtcdServer server, Executor watchThreads) {
        this.server = server;
        this.watchThreads = watchThreads;
    }

    @Override
    public void lock(LockRequest request, StreamObserver<LockResponse> out) {
        CallCancellation call = CallCancellation.of(out);
        RecipeReplies.reply(TokenInterceptor.asCaller(server, caller -> SessionLease.resolve(server, request.getLease())
                .thenCompose(lease -> lock(caller, request.getName(), lease, call))), out);
    }

    private CompletableFuture<LockResponse> lock(Caller caller, ByteString name, long lease, CallCancellation call) {
        ByteString prefix = RecipeRequests.prefix(name);
        ByteString key = RecipeRequests.contenderKey(name, lease);
        TxnRequest enqueue = TxnRequest.newBuilder()
                .addCompare(RecipeRequests.createRevisionIs(key, 0))
                .addSuccess(RecipeRequests.put(key, ByteString.EMPTY, lease))
                .addSuccess(RecipeRequests.range(RecipeRequests.firstCreated(prefix)))
                .addFailure(RecipeRequests.get(key))
                .addFailure(RecipeRequests.range(RecipeRequests.firstCreated(prefix)))
                .build();
        return RecipeRequests.txn(server, caller, enqueue).thenCompose(t -> {
            long myRev = t.getSucceeded() ? t.getHeader().getRevision()
                    : t.getResponses(0).getResponseRange().getKvs(0).getCreateRevision();
            RangeResponse holder = t.getResponses(1).getResponseRange();
            if (call.isCancelled()) {
                return releaseAfter(key, CallCancellation.cancelled());
            }
            if (holder.getKvsCount() == 0 || holder.getKvs(0).getCreateRevision() == myRev) {
                return CompletableFuture.completedFuture(granted(t, key));
            }
            return PriorContendersGone.await(server, caller, watchThreads, prefix, myRev - 1, call)
                    .handle((header, err) -> err == null
                            ? CompletableFuture.completedFuture(
                                    LockResponse.newBuilder().setHeader(header).setKey(key).build())
                            : releaseAfter(key, err))
                    .thenCompose(f -> f);
        });
    }

    private static LockResponse granted(TxnResponse t, ByteString key) {
        return LockResponse.newBuilder().setHeader(t.getHeader()).setKey(key).build();
    }

    /** Deletes the abandoned contender key (as the member: it must not outlive the call), then fails with {@code cause}. */
    private CompletableFuture<LockResponse> releaseAfter(ByteString key, Throwable cause) {
        return server.deleteRange(DeleteRangeRequest.newBuilder().setKey(key).build())
                .handle((d, ignored) -> {
                    throw cause instanceof CompletionException c ? c : new CompletionException(cause);
                });
    }

    @Override
    public void unlock(UnlockRequest request, StreamObserver<UnlockResponse> out) {
        DeleteRangeRequest delete = DeleteRangeRequest.newBuilder().setKey(request.getKey()).build();
        CompletableFuture<UnlockResponse> result;
        try {
            RequestValidator.validateDeleteRange(delete);
            result = TokenInterceptor.asCaller(server, caller -> server.deleteRange(delete, caller))
                    .thenApply(d -> UnlockResponse.newBuilder().setHeader(d.getHeader()).build());
        } catch (RuntimeException invalid) {
            result = CompletableFuture.failedFuture(invalid);
        }
        RecipeReplies.reply(result, out);
    }
}
