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
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.server.proxy.grpcproxy.leasing.LeasingKv;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The proxy's KV service: every call goes to the cluster with the client's credentials and keys
 * moved into the namespace; serializable ranges are answered from the {@link RangeCache} when
 * they can be, and every write empties it once the cluster has answered. Ranges and read-only
 * txns go through the {@link RevisionOrdering} (which does nothing unless turned on); so does
 * the cache: an answer kept from before the floor was raised is not given again.
 *
 * <p>With a leasing prefix, ranges, puts, deletes and txns go through the {@link LeasingKv}
 * instead (blocking the handler's thread while it works), serializable answers still kept in
 * the range cache; the revision ordering does not apply to them.
 */
final class KvProxy extends KVGrpc.KVImplBase {
    private final KVGrpc.KVStub upstream;
    private final KeyNamespace ns;
    private final RangeCache cache;
    private final RevisionOrdering ordering;
    /** --experimental-leasing-prefix: ranges and writes go through it (null: off). */
    private final LeasingKv leasing;

    KvProxy(KVGrpc.KVStub upstream, KeyNamespace ns, RangeCache cache, RevisionOrdering ordering) {
        this(upstream, ns, cache, ordering, null);
    }

    KvProxy(KVGrpc.KVStub upstream, KeyNamespace ns, RangeCache cache, RevisionOrdering ordering, LeasingKv leasing) {
        this.upstream = upstream;
        this.ns = ns;
        this.cache = cache;
        this.ordering = ordering;
        this.leasing = leasing;
    }

    /** Adds the current client's credentials and deadline to a stub (read now, in the client's context). */
    private static UnaryOperator<KVGrpc.KVStub> forCurrentClient() {
        Metadata headers = ClientHeaders.current();
        Deadline d = Context.current().getDeadline();
        return stub -> {
            KVGrpc.KVStub s = ClientHeaders.attach(stub, headers);
            return d == null ? s : s.withDeadline(d);
        };
    }

    private KVGrpc.KVStub stub() {
        return forCurrentClient().apply(upstream);
    }

    @Override
    public void range(RangeRequest request, StreamObserver<RangeResponse> client) {
        RangeRequest up = ns.range(request);
        String identity = ClientHeaders.identity();
        if (leasing != null) {
            // answers are kept as the leasing KV gives them, in the client's key space
            Optional<RangeResponse> hit = request.getSerializable() ? cache.get(up, identity) : Optional.empty();
            answer(client, () -> hit.orElseGet(() -> {
                RangeResponse r = leasing.range(request, mayAnswerFromLeasingCache());
                if (request.getSerializable()) {
                    cache.put(up, identity, r);
                }
                return r;
            }));
            return;
        }
        if (request.getSerializable()) {
            Optional<RangeResponse> hit = cache.get(up, identity)
                    .filter(r -> ordering.admits(r.getHeader().getRevision()));
            if (hit.isPresent()) {
                client.onNext(ns.range(hit.get()));
                client.onCompleted();
                return;
            }
        }
        ordering.call(upstream, forCurrentClient(), (stub, answers) -> stub.range(up, answers),
                r -> r.getHeader().getRevision(), relay(client, ns::range, r -> {
                    if (request.getSerializable()) {
                        cache.put(up, identity, r);
                    }
                }));
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> client) {
        if (leasing != null) {
            answer(client, () -> written(leasing.put(request)));
            return;
        }
        stub().put(ns.put(request), relay(client, ns::put, r -> cache.invalidate()));
    }

    @Override
    public void deleteRange(DeleteRangeRequest request, StreamObserver<DeleteRangeResponse> client) {
        if (leasing != null) {
            answer(client, () -> written(leasing.deleteRange(request)));
            return;
        }
        stub().deleteRange(ns.delete(request), relay(client, ns::delete, r -> cache.invalidate()));
    }

    @Override
    public void txn(TxnRequest request, StreamObserver<TxnResponse> client) {
        if (leasing != null) {
            answer(client, () -> written(leasing.txn(request, mayAnswerFromLeasingCache())));
            return;
        }
        TxnRequest up = ns.txn(request);
        StreamObserver<TxnResponse> answers = relay(client, ns::txn, r -> cache.invalidate());
        if (readOnly(request)) {
            ordering.call(upstream, forCurrentClient(), (stub, a) -> stub.txn(up, a),
                    r -> r.getHeader().getRevision(), answers);
        } else {
            stub().txn(up, relay(answers, UnaryOperator.identity(), r -> ordering.answered(r.getHeader().getRevision())));
        }
    }

    /** A txn that neither puts nor deletes, in either branch, at any depth: safe to send again. */
    static boolean readOnly(TxnRequest t) {
        for (RequestOp op : t.getSuccessList()) {
            if (!readOnly(op)) {
                return false;
            }
        }
        for (RequestOp op : t.getFailureList()) {
            if (!readOnly(op)) {
                return false;
            }
        }
        return true;
    }

    private static boolean readOnly(RequestOp op) {
        return switch (op.getRequestCase()) {
            case REQUEST_RANGE -> true;
            case REQUEST_TXN -> readOnly(op.getRequestTxn());
            default -> false;
        };
    }

    @Override
    public void compact(CompactionRequest request, StreamObserver<CompactionResponse> client) {
        stub().compact(request, relay(client, UnaryOperator.identity(), r -> cache.invalidate()));
    }

    /** Whether the leasing cache may answer the current client: not one with credentials, which it does not check. */
    private static boolean mayAnswerFromLeasingCache() {
        return !ClientHeaders.current().containsKey(ForwardingCall.TOKEN);
    }

    /** The answer to a call that may have written: the serializable answers kept before it are gone. */
    private <A> A written(A answer) {
        cache.invalidate();
        return answer;
    }

    /** Answers the client with what the (blocking) leasing KV computes, or its error. */
    private static <A> void answer(StreamObserver<A> client, Supplier<A> call) {
        A answer;
        try {
            answer = call.get();
        } catch (RuntimeException e) {
            client.onError(e instanceof StatusRuntimeException ? e : Status.fromThrowable(e).asRuntimeException());
            return;
        }
        client.onNext(answer);
        client.onCompleted();
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
