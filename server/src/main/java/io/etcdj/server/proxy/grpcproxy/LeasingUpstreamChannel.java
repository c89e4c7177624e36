package io.etcdj.server.proxy.grpcproxy;

import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.server.proxy.grpcproxy.leasing.LeasingUpstream;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;

/**
 * The leasing KV's view of the cluster through the proxy's {@link UpstreamChannel}: keys move
 * into the proxy's namespace on the way up and out of it on the way down (so ownership keys live
 * under the namespace, as with etcd's proxy, whose leasing KV wraps its namespaced KV). Calls
 * carry the current client's etcd metadata ({@link ClientHeaders}; none on the proxy's own
 * threads) and its deadline, or {@link #OWN_DEADLINE_SECONDS} when it set none.
 */
final class LeasingUpstreamChannel implements LeasingUpstream {
    private static final long OWN_DEADLINE_SECONDS = 30;

    private final Channel upstream;
    private final KeyNamespace ns;

    LeasingUpstreamChannel(Channel upstream, KeyNamespace ns) {
        this.upstream = upstream;
        this.ns = ns;
    }

    private KVGrpc.KVBlockingStub kv() {
        KVGrpc.KVBlockingStub s = ClientHeaders.attach(KVGrpc.newBlockingStub(upstream), ClientHeaders.current());
        return Context.current().getDeadline() == null ? s.withDeadlineAfter(OWN_DEADLINE_SECONDS, TimeUnit.SECONDS) : s;
    }

    @Override
    public RangeResponse range(RangeRequest r) {
        return ns.range(kv().range(ns.range(r)));
    }

    @Override
    public TxnResponse txn(TxnRequest r) {
        return ns.txn(kv().txn(ns.txn(r)));
    }

    @Override
    public Runnable watch(WatchCreateRequest create, StreamObserver<WatchResponse> answers) {
        var requests = (ClientCallStreamObserver<WatchRequest>) ClientHeaders.attach(WatchGrpc.newStub(upstream),
                ClientHeaders.current()).watch(new StreamObserver<WatchResponse>() {
                    @Override
                    public void onNext(WatchResponse r) {
                        WatchResponse.Builder b = r.toBuilder().clearEvents();
                        r.getEventsList().forEach(e -> b.addEvents(ns.strip(e)));
                        answers.onNext(b.build());
                    }

                    @Override
                    public void onError(Throwable t) {
                        answers.onError(t);
                    }

                    @Override
                    public void onCompleted() {
                        answers.onCompleted();
                    }
                });
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(create.toBuilder().setKey(ns.key(create.getKey()))
                .setRangeEnd(ns.end(create.getRangeEnd()))).build());
        return () -> requests.cancel("the leasing KV no longer needs this watch", null);
    }

    @Override
    public LeaseGrantResponse grant(long ttlSeconds) {
        return LeaseGrpc.newBlockingStub(upstream).withDeadlineAfter(OWN_DEADLINE_SECONDS, TimeUnit.SECONDS)
                .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttlSeconds).build());
    }

    @Override
    public StreamObserver<LeaseKeepAliveRequest> keepAlive(StreamObserver<LeaseKeepAliveResponse> answers) {
        return LeaseGrpc.newStub(upstream).leaseKeepAlive(answers);
    }

    @Override
    public void revoke(long lease) {
        LeaseGrpc.newBlockingStub(upstream).withDeadlineAfter(2, TimeUnit.SECONDS)
                .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build());
    }
}
