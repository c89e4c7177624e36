package io.etcdj.server.v3;

import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmResponse;
import io.etcdj.api.etcdserverpb.DefragmentRequest;
import io.etcdj.api.etcdserverpb.DefragmentResponse;
import io.etcdj.api.etcdserverpb.DowngradeRequest;
import io.etcdj.api.etcdserverpb.DowngradeResponse;
import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.HashRequest;
import io.etcdj.api.etcdserverpb.HashResponse;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.MoveLeaderRequest;
import io.etcdj.api.etcdserverpb.MoveLeaderResponse;
import io.etcdj.api.etcdserverpb.SnapshotRequest;
import io.etcdj.api.etcdserverpb.SnapshotResponse;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.etcdj.server.EtcdError;
import io.etcdj.server.EtcdException;
import io.etcdj.server.EtcdServer;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/** etcdserverpb.Maintenance: each call is validated by the server and answered from its future. */
public final class MaintenanceService extends MaintenanceGrpc.MaintenanceImplBase {
    private final EtcdServer server;

    public MaintenanceService(EtcdServer server) {
        this.server = server;
    }

    @Override
    public void alarm(AlarmRequest request, StreamObserver<AlarmResponse> out) {
        // etcd 3.4 answers Alarm without a response header (3.5 added one): {} on the JSON gateway
        GrpcReplies.reply(server.alarm(request).thenApply(r -> r.toBuilder().clearHeader().build()), out);
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> out) {
        GrpcReplies.reply(server.status(request), out);
    }

    @Override
    public void defragment(DefragmentRequest request, StreamObserver<DefragmentResponse> out) {
        GrpcReplies.reply(asRoot(server::defragment), out);
    }

    @Override
    public void hash(HashRequest request, StreamObserver<HashResponse> out) {
        GrpcReplies.reply(asRoot(server::hash), out);
    }

    @Override
    public void hashKV(HashKVRequest request, StreamObserver<HashKVResponse> out) {
        GrpcReplies.reply(asRoot(() -> server.hashKv(request)), out);
    }

    @Override
    public void snapshot(SnapshotRequest request, StreamObserver<SnapshotResponse> out) {
        SnapshotStreamer streamer = new SnapshotStreamer((ServerCallStreamObserver<SnapshotResponse>) out);
        asRoot(server::snapshot).whenComplete((packed, err) -> {
            if (err != null) {
                out.onError(GrpcReplies.toStatus(err));
            } else {
                streamer.start(packed, server.header(), "snapshot-send-" + Long.toHexString(server.memberId()));
            }
        });
    }

    @Override
    public void moveLeader(MoveLeaderRequest request, StreamObserver<MoveLeaderResponse> out) {
        // open to any user, as in etcd 3.4 and 3.5 (only etcd 3.6 makes it root-only)
        GrpcReplies.reply(server.moveLeader(request), out);
    }

    @Override
    public void downgrade(DowngradeRequest request, StreamObserver<DowngradeResponse> out) {
        GrpcReplies.reply(asRoot(() -> server.downgrade(request)), out);
    }

    /**
     * Everything here but Status, Alarm and MoveLeader is root-only while auth is enabled. etcd's maintenance server
     * returns its auth package's errors unconverted, so clients see them as gRPC Unknown with an
     * "auth: " prefix ("auth: permission denied", "auth: user name is empty").
     */
    private <T> CompletableFuture<T> asRoot(
            Supplier<CompletableFuture<T>> op) {
        return TokenInterceptor.asCaller(server, caller -> {
            server.authorizeAdmin(caller);
            return op.get();
        }).exceptionallyCompose(err -> {
            Throwable cause = err instanceof CompletionException && err.getCause() != null
                    ? err.getCause() : err;
            if (cause instanceof EtcdException e && (e.is(EtcdError.PERMISSION_DENIED)
                    || e.is(EtcdError.INVALID_AUTH_TOKEN) || e.is(EtcdError.USER_EMPTY))) {
                cause = new EtcdException(Status.Code.UNKNOWN,
                        e.getMessage().replaceFirst("^etcdserver: ", "auth: "));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }
}
