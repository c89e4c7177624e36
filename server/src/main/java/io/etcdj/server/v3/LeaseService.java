package io.etcdj.server.v3;

import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.LeaseLeasesRequest;
import io.etcdj.api.etcdserverpb.LeaseLeasesResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeResponse;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.server.EtcdError;
import io.etcdj.server.EtcdException;
import io.etcdj.server.EtcdServer;
import io.grpc.BindableService;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletionException;

/**
 * etcdserverpb.Lease. Keepalive is a bidi stream: each request is answered with {ID, TTL} once the
 * leader renewed the lease; a lease that does not exist is answered with TTL 0 (etcd's rule), any
 * other failure ends the stream with that error. Requests forwarded by another member (marked by
 * {@link LeaseForwarding}) are answered here and never forwarded again.
 */
public final class LeaseService extends LeaseGrpc.LeaseImplBase {
    private final EtcdServer server;

    public LeaseService(EtcdServer server) {
        this.server = server;
    }

    /** This service with the forwarding-mark interceptor, ready to add to a gRPC server. */
    public static BindableService withForwarding(EtcdServer server) {
        ServerServiceDefinition def = ServerInterceptors.intercept(new LeaseService(server), new LeaseForwarding());
        return () -> def;
    }

    @Override
    public void leaseGrant(LeaseGrantRequest request, StreamObserver<LeaseGrantResponse> out) {
        GrpcReplies.reply(server.leaseGrant(request), out);
    }

    @Override
    public void leaseRevoke(LeaseRevokeRequest request, StreamObserver<LeaseRevokeResponse> out) {
        GrpcReplies.reply(TokenInterceptor.asCaller(server, caller -> server.leaseRevoke(request, caller)), out);
    }

    @Override
    public void leaseTimeToLive(LeaseTimeToLiveRequest request, StreamObserver<LeaseTimeToLiveResponse> out) {
        GrpcReplies.reply(server.leaseTimeToLive(request, !LeaseForwarding.isForwarded()), out);
    }

    @Override
    public void leaseLeases(LeaseLeasesRequest request, StreamObserver<LeaseLeasesResponse> out) {
        GrpcReplies.reply(server.leaseLeases(request), out);
    }

    @Override
    public StreamObserver<LeaseKeepAliveRequest> leaseKeepAlive(StreamObserver<LeaseKeepAliveResponse> out) {
        return new KeepAliveStream(server, out, !LeaseForwarding.isForwarded());
    }

    /** One keepalive stream: renewals may complete out of order; answers are serialized. */
    private static final class KeepAliveStream implements StreamObserver<LeaseKeepAliveRequest> {
        private final EtcdServer server;
        private final StreamObserver<LeaseKeepAliveResponse> out;
        private final boolean mayForward;
        private int pending;
        private boolean halfClosed;
        private boolean done;

        KeepAliveStream(EtcdServer server, StreamObserver<LeaseKeepAliveResponse> out, boolean mayForward) {
            this.server = server;
            this.out = out;
            this.mayForward = mayForward;
        }

        @Override
        public void onNext(LeaseKeepAliveRequest request) {
            synchronized (this) {
                if (done) {
                    return;
                }
                pending++;
            }
            long id = request.getID();
            server.leaseRenew(id, mayForward).whenComplete((ttl, err) -> answer(id, ttl, err));
        }

        private synchronized void answer(long id, Long ttl, Throwable err) {
            pending--;
            if (done) {
                return;
            }
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause instanceof EtcdException e && e.is(EtcdError.LEASE_NOT_FOUND)) {
                ttl = 0L;
                cause = null;
            }
            if (cause != null) {
                done = true;
                out.onError(GrpcReplies.toStatus(cause));
                return;
            }
            out.onNext(LeaseKeepAliveResponse.newBuilder().setHeader(server.header()).setID(id).setTTL(ttl).build());
            if (halfClosed && pending == 0) {
                done = true;
                out.onCompleted();
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            done = true; // the client went away
        }

        @Override
        public synchronized void onCompleted() {
            halfClosed = true;
            if (pending == 0 && !done) {
                done = true;
                out.onCompleted();
            }
        }
    }
}
