package io.etcdj.server.v3;

import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.server.EtcdError;
import io.etcdj.server.EtcdException;
import io.etcdj.server.LeaseForwarder;
import io.etcdj.server.membership.Member;
import io.etcdj.server.transport.MemberChannels;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link LeaseForwarder} over gRPC to the leader's first http(s) client URL (one cached channel
 * per URL), the request marked with {@link LeaseForwarding#HEADER}. A keepalive is one short
 * Lease.LeaseKeepAlive call: one request, the first answer, then half-close. Not supported: unix
 * client URLs (the call fails and the caller retries until its timeout).
 */
public final class GrpcLeaseForwarder implements LeaseForwarder {
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final MemberChannels opener;

    /** @param opener opens channels to client URLs (TLS with the client-side flags for https) */
    public GrpcLeaseForwarder(MemberChannels opener) {
        this.opener = opener;
    }
    private volatile boolean closed;

    @Override
    public CompletableFuture<Long> renew(Member leader, long id, long timeoutMillis) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        LeaseGrpc.LeaseStub stub;
        try {
            stub = stub(leader, timeoutMillis);
        } catch (EtcdException e) {
            return CompletableFuture.failedFuture(e);
        }
        StreamObserver<LeaseKeepAliveRequest>[] requests = new StreamObserver[1];
        requests[0] = stub.leaseKeepAlive(new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                if (r.getTTL() <= 0) {
                    result.completeExceptionally(EtcdError.LEASE_NOT_FOUND.exception());
                } else {
                    result.complete(r.getTTL());
                }
                requests[0].onCompleted();
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(toEtcd(t));
            }

            @Override
            public void onCompleted() {
                result.completeExceptionally(EtcdError.TIMEOUT.exception());
            }
        });
        requests[0].onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
        return result;
    }

    @Override
    public CompletableFuture<LeaseTimeToLiveResponse> timeToLive(Member leader, LeaseTimeToLiveRequest request,
                                                                 long timeoutMillis) {
        CompletableFuture<LeaseTimeToLiveResponse> result = new CompletableFuture<>();
        try {
            stub(leader, timeoutMillis).leaseTimeToLive(request, new StreamObserver<>() {
                @Override
                public void onNext(LeaseTimeToLiveResponse r) {
                    result.complete(r);
                }

                @Override
                public void onError(Throwable t) {
                    result.completeExceptionally(toEtcd(t));
                }

                @Override
                public void onCompleted() {
                    result.completeExceptionally(EtcdError.TIMEOUT.exception());
                }
            });
        } catch (EtcdException e) {
            return CompletableFuture.failedFuture(e);
        }
        return result;
    }

    private LeaseGrpc.LeaseStub stub(Member leader, long timeoutMillis) {
        if (closed) {
            throw EtcdError.STOPPED.exception();
        }
        String url = leader.clientUrls().stream().filter(u -> u.startsWith("http://") || u.startsWith("https://"))
                .findFirst().orElseThrow(EtcdError.TIMEOUT::exception);
        ManagedChannel ch = channels.computeIfAbsent(url, u -> opener.open(u, Integer.MAX_VALUE));
        return LeaseGrpc.newStub(ch).withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(LeaseForwarding.mark()));
    }

    private static EtcdException toEtcd(Throwable t) {
        Status s = Status.fromThrowable(t);
        if (s.getCode() == Status.Code.DEADLINE_EXCEEDED || s.getDescription() == null) {
            return EtcdError.TIMEOUT.exception();
        }
        return new EtcdException(s.getCode(), s.getDescription());
    }

    @Override
    public void close() {
        closed = true;
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
