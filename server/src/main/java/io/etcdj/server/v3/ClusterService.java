package io.etcdj.server.v3;

import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.MemberAddRequest;
import io.etcdj.api.etcdserverpb.MemberAddResponse;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.MemberPromoteRequest;
import io.etcdj.api.etcdserverpb.MemberPromoteResponse;
import io.etcdj.api.etcdserverpb.MemberRemoveRequest;
import io.etcdj.api.etcdserverpb.MemberRemoveResponse;
import io.etcdj.api.etcdserverpb.MemberUpdateRequest;
import io.etcdj.api.etcdserverpb.MemberUpdateResponse;
import io.etcdj.server.EtcdException;
import io.etcdj.server.EtcdServer;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** etcdserverpb.Cluster over the {@link EtcdServer}'s membership operations. */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
    private final EtcdServer server;

    public ClusterService(EtcdServer server) {
        this.server = server;
    }

    @Override
    public void memberList(MemberListRequest request, StreamObserver<MemberListResponse> out) {
        GrpcReplies.reply(server.memberList(request), out);
    }

    @Override
    public void memberAdd(MemberAddRequest request, StreamObserver<MemberAddResponse> out) {
        GrpcReplies.reply(asAdmin(() -> server.memberAdd(request)), out);
    }

    @Override
    public void memberRemove(MemberRemoveRequest request, StreamObserver<MemberRemoveResponse> out) {
        GrpcReplies.reply(asAdmin(() -> server.memberRemove(request)), out);
    }

    @Override
    public void memberUpdate(MemberUpdateRequest request, StreamObserver<MemberUpdateResponse> out) {
        GrpcReplies.reply(asAdmin(() -> server.memberUpdate(request)), out);
    }

    @Override
    public void memberPromote(MemberPromoteRequest request, StreamObserver<MemberPromoteResponse> out) {
        GrpcReplies.reply(asAdmin(() -> server.memberPromote(request)), out);
    }

    /** Membership changes are root-only while auth is enabled (etcd's membership permission check). */
    private <T> CompletableFuture<T> asAdmin(
            Supplier<CompletableFuture<T>> op) {
        return TokenInterceptor.asCaller(server, caller -> {
            try {
                server.authorizeAdmin(caller);
            } catch (EtcdException e) {
                return CompletableFuture.failedFuture(e);
            }
            return op.get();
        });
    }
}
