package io.etcdj.server.v3;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.api.v3electionpb.CampaignRequest;
import io.etcdj.api.v3electionpb.CampaignResponse;
import io.etcdj.api.v3electionpb.ElectionGrpc;
import io.etcdj.api.v3electionpb.LeaderKey;
import io.etcdj.api.v3electionpb.LeaderRequest;
import io.etcdj.api.v3electionpb.LeaderResponse;
import io.etcdj.api.v3electionpb.ProclaimRequest;
import io.etcdj.api.v3electionpb.ProclaimResponse;
import io.etcdj.api.v3electionpb.ResignRequest;
import io.etcdj.api.v3electionpb.ResignResponse;
import io.etcdj.server.EtcdError;
import io.etcdj.server.EtcdServer;
import io.etcdj.server.auth.Caller;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * v3electionpb.Election: leader election over the KV API, as etcd's server-side recipe.
 *
 * <p>Every candidate of election {@code name} owns the key {@code name/<lease hex>}, holding its
 * proclaimed value and attached to its lease; the leader is the candidate whose key has the
 * smallest create revision. A {@link LeaderKey} names a candidacy by key and create revision
 * ({@code rev}): Proclaim and Resign act only while the key still has that create revision.
 * <ul>
 *   <li>Campaign: creates the key (or reuses it, proclaiming the new value if it differs), then
 *       waits, without a thread, until every earlier candidate is gone; replies with the header of
 *       the creating txn. A campaign abandoned while waiting resigns.</li>
 *   <li>Proclaim: replaces the value; "election: not leader" if the candidacy is gone.</li>
 *   <li>Leader: the leader's key-value, or "election: no leader".</li>
 *   <li>Observe: streams the leader's key-value each time it changes ({@link LeaderObserver}).</li>
 *   <li>Resign: deletes the key if the candidacy is still there; succeeds either way.</li>
 * </ul>
 * Auth: every read and write is made as the call's token's user, as in {@link LockService}; an
 * Observe whose read is refused ends at once with OK and no message, as etcd's does.
 */
public final class ElectionService extends ElectionGrpc.ElectionImplBase {
    private final EtcdServer server;
    private final Executor watchThreads;

    public ElectionService(EtcdServer server, Executor watchThreads) {
        this.server = server;
        this.watchThreads = watchThreads;
    }

    @Override
    public void campaign(CampaignRequest request, StreamObserver<CampaignResponse> out) {
        CallCancellation call = CallCancellation.of(out);
        RecipeReplies.reply(TokenInterceptor.asCaller(server, caller -> SessionLease.resolve(server, request.getLease())
                .thenCompose(lease -> campaign(caller, request.getName(), lease, request.getValue(), call))), out);
    }

    private CompletableFuture<CampaignResponse> campaign(Caller caller, ByteString name, long lease, ByteString value,
            CallCancellation call) {
        ByteString key = RecipeRequests.contenderKey(name, lease);
        TxnRequest enter = TxnRequest.newBuilder()
                .addCompare(RecipeRequests.createRevisionIs(key, 0))
                .addSuccess(RecipeRequests.put(key, value, lease))
                .addFailure(RecipeRequests.get(key))
                .build();
        return RecipeRequests.txn(server, caller, enter).thenCompose(t -> {
            LeaderKey candidacy;
            CompletableFuture<?> valueSet = CompletableFuture.completedFuture(null);
            if (t.getSucceeded()) {
                candidacy = leaderKey(name, key, t.getHeader().getRevision(), lease);
            } else {
                KeyValue existing = t.getResponses(0).getResponseRange().getKvs(0);
                candidacy = leaderKey(name, key, existing.getCreateRevision(), lease);
                if (!existing.getValue().equals(value)) {
                    valueSet = proclaim(caller, candidacy, value, lease).handle((h, err) -> err == null
                            ? CompletableFuture.completedFuture(h)
                            : resign(caller, candidacy).handle((r, ignored) -> { throw asCompletion(err); }))
                            .thenCompose(f -> f);
                }
            }
            CampaignResponse won = CampaignResponse.newBuilder().setHeader(t.getHeader()).setLeader(candidacy).build();
            return valueSet.thenCompose(v -> PriorContendersGone.await(server, caller, watchThreads,
                            RecipeRequests.prefix(name), candidacy.getRev() - 1, call))
                    .handle((h, err) -> {
                        if (err == null) {
                            return CompletableFuture.completedFuture(won);
                        }
                        if (call.isCancelled()) { // abandoned: give the place up
                            return resign(Caller.TRUSTED, candidacy).<CampaignResponse>handle((r, ignored) -> {
                                throw asCompletion(err);
                            });
                        }
                        return CompletableFuture.<CampaignResponse>failedFuture(err);
                    })
                    .thenCompose(f -> f);
        });
    }

    private static LeaderKey leaderKey(ByteString name, ByteString key, long rev, long lease) {
        return LeaderKey.newBuilder().setName(name).setKey(key).setRev(rev).setLease(lease).build();
    }

    @Override
    public void proclaim(ProclaimRequest request, StreamObserver<ProclaimResponse> out) {
        if (!request.hasLeader()) {
            RecipeReplies.fail(out, EtcdError.ELECTION_MISSING_LEADER_KEY.exception());
            return;
        }
        LeaderKey leader = request.getLeader();
        RecipeReplies.reply(TokenInterceptor.asCaller(server, caller -> SessionLease.resolve(server, leader.getLease())
                .thenCompose(lease -> proclaim(caller, leader, request.getValue(), lease)))
                .thenApply(h -> ProclaimResponse.newBuilder().setHeader(h).build()), out);
    }

    /** Puts {@code value} under the candidacy's key (with {@code lease}) if the candidacy is still there. */
    private CompletableFuture<ResponseHeader> proclaim(Caller caller, LeaderKey leader, ByteString value, long lease) {
        TxnRequest put = TxnRequest.newBuilder()
                .addCompare(RecipeRequests.createRevisionIs(leader.getKey(), leader.getRev()))
                .addSuccess(RecipeRequests.put(leader.getKey(), value, lease))
                .build();
        return RecipeRequests.txn(server, caller, put).thenApply(t -> {
            if (!t.getSucceeded()) {
                throw EtcdError.ELECTION_NOT_LEADER.exception();
            }
            return t.getHeader();
        });
    }

    @Override
    public void resign(ResignRequest request, StreamObserver<ResignResponse> out) {
        if (!request.hasLeader()) {
            RecipeReplies.fail(out, EtcdError.ELECTION_MISSING_LEADER_KEY.exception());
            return;
        }
        LeaderKey leader = request.getLeader();
        RecipeReplies.reply(TokenInterceptor.asCaller(server, caller -> SessionLease.resolve(server, leader.getLease())
                .thenCompose(lease -> resign(caller, leader)))
                .thenApply(t -> ResignResponse.newBuilder().setHeader(t.getHeader()).build()), out);
    }

    /**
     * Deletes the candidacy's key if it still has the candidacy's create revision. An abandoned
     * campaign resigns as {@link Caller#TRUSTED}: its key must not outlive the call.
     */
    private CompletableFuture<TxnResponse> resign(Caller caller, LeaderKey leader) {
        return RecipeRequests.txn(server, caller, TxnRequest.newBuilder()
                .addCompare(RecipeRequests.createRevisionIs(leader.getKey(), leader.getRev()))
                .addSuccess(RecipeRequests.delete(leader.getKey()))
                .build());
    }

    @Override
    public void leader(LeaderRequest request, StreamObserver<LeaderResponse> out) {
        RecipeReplies.reply(TokenInterceptor.asCaller(server,
                        caller -> server.range(RecipeRequests.firstCreated(RecipeRequests.prefix(request.getName())), caller))
                .thenApply(r -> {
                    if (r.getKvsCount() == 0) {
                        throw EtcdError.ELECTION_NO_LEADER.exception();
                    }
                    return LeaderResponse.newBuilder().setHeader(r.getHeader()).setKv(r.getKvs(0)).build();
                }), out);
    }

    @Override
    public void observe(LeaderRequest request, StreamObserver<LeaderResponse> out) {
        LeaderObserver.start(server, TokenInterceptor.caller(server), watchThreads, RecipeRequests.prefix(request.getName()),
                (ServerCallStreamObserver<LeaderResponse>) out);
    }

    private static CompletionException asCompletion(Throwable err) {
        return err instanceof CompletionException c ? c : new CompletionException(err);
    }
}
