package io.etcdj.server.proxy.grpcproxy;

import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.CompactionResponse;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The proxy's KV service: every call goes to the cluster with the client's credentials and keys
 * moved into the namespace; serializable ranges are answered from the {@link RangeCache} when
 * they can be, and every write empties it once the cluster has answered.
 */
final class KvProxy extends KVGrpc.KVImplBase {
    private final KVGrpc.KVStub upstream;
    private final KeyNamespace ns;
    private final RangeCache cache;

    KvProxy(KVGrpc.KVStub upstream, KeyNamespace ns, RangeCache cache) {
        this.upstream = upstream;
        this.ns = ns;
        this.cache = cache;
    }

    private KVGrpc.KVStub stub() {
        KVGrpc.KVStub s = ClientHeaders.attach(upstream, ClientHeaders.current());
        Deadline d = Context.current().getDeadline();
        return d == null ? s : s.withDeadline(d);
    }

    @Override
    public void range(RangeRequest request, StreamObserver<RangeResponse> client) {
        RangeRequest up = ns.range(request);
        String identity = ClientHeaders.identity();
        if (request.getSerializable()) {
            Optional<RangeResponse> hit = cache.get(up, identity);
            if (hit.isPresent()) {
                client.onNext(ns.range(hit.get()));
                client.onCompleted();
                return;
            }
        }
        stub().range(up, relay(client, ns::range, r -> {
            if (request.getSerializable()) {
                cache.put(up, identity, r);
            }
        }));
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> client) {
        stub().put(ns.put(request), relay(client, ns::put, r -> cache.invalidate()));
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> client) {
        stub().deleteRange(ns.delete(request), relay(client, ns::delete, r -> cache.invalidate()));
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> client) {
        stub().txn(ns.txn(request), relay(client, ns::txn, r -> cache.invalidate()));
    }

    @Override
    public void compact(CompactionRequest request, StreamObserver<CompactionResponse> client) {
        stub().compact(request, relay(client, UnaryOperator.identity(), r -> cache.invalidate()));
    }

    /** Passes the cluster's answer (rewritten by {@code down}) or error to the client, after {@code seen}. */
    private static <A> StreamObserver<A> relay(StreamObserver<A> client, UnaryOperator<A> down, Consumer<A> seen) {
        return new StreamObserver<>() {
            @Override
            public void onNext(A answer) {
                seen.accept(answer);
                client.onNext(down.apply(answer));
            }

            @Override
            public void onError(Throwable t) {
                client.onError(t);
            }

            @Override
            public void onCompleted() {
                client.onCompleted();
            }
        };
    }
}
