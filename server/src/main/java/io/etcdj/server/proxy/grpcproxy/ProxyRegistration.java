package io.etcdj.server.proxy.grpcproxy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code --resolver-prefix}/{@code --resolver-ttl}: the proxy announces itself in the cluster, so
 * clients can find every proxy under one prefix. It holds the key {@code <prefix>/<advertised
 * address>} on a lease of the given TTL, renewed at a third of it; the value is etcd's endpoint
 * update record {@code {"Op":0,"Addr":"<address>","Metadata":"{\"name\":\"<host name>\"}"}}.
 * When the proxy stops, the lease is no longer renewed and the key expires.
 */
final class ProxyRegistration implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final LeaseGrpc.LeaseBlockingStub leases;
    private final LeaseGrpc.LeaseStub keepAlives;
    private final KVGrpc.KVBlockingStub kv;
    private ScheduledFuture<?> renewal;
    private StreamObserver<LeaseKeepAliveRequest> stream;

    ProxyRegistration(ManagedChannel upstream, ScheduledExecutorService timer) {
        this.timer = timer;
        this.leases = LeaseGrpc.newBlockingStub(upstream).withWaitForReady();
        this.keepAlives = LeaseGrpc.newStub(upstream);
        this.kv = KVGrpc.newBlockingStub(upstream).withWaitForReady();
    }

    static String value(String address, String hostName) {
        String metadata = "{\\\"name\\\":\\\"" + hostName + "\\\"}";
        return "{\"Op\":0,\"Addr\":\"" + address + "\",\"Metadata\":\"" + metadata + "\"}";
    }

    /** Registers {@code address}; blocks until the cluster has the key (at most 10 s). */
    long register(String prefix, String address, long ttlSeconds, String hostName) {
        long lease = leases.withDeadlineAfter(10, TimeUnit.SECONDS)
                .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build()).getID();
        kv.withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8(prefix + "/" + address))
                .setValue(ByteString.copyFromUtf8(value(address, hostName))).setLease(lease).build());
        long period = Math.max(500, ttlSeconds * 1000 / 3);
        renewal = timer.scheduleAtFixedRate(() -> renew(lease), period, period, TimeUnit.MILLISECONDS);
        return lease;
    }

    private synchronized void renew(long lease) {
        if (stream == null) {
            stream = keepAlives.leaseKeepAlive(new StreamObserver<>() {
                @Override
                public void onNext(LeaseKeepAliveResponse r) {
                }

                @Override
                public void onError(Throwable t) {
                    dropStream();
                }

                @Override
                public void onCompleted() {
                    dropStream();
                }
            });
        }
        stream.onNext(LeaseKeepAliveRequest.newBuilder().setID(lease).build());
    }

    private synchronized void dropStream() {
        stream = null;
    }

    @Override
    public synchronized void close() {
        if (renewal != null) {
            renewal.cancel(false);
        }
        if (stream != null) {
            stream.onCompleted();
        }
    }
}
