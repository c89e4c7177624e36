package io.etcdj.server.proxy.grpcproxy;

import io.etcdj.api.etcdserverpb.KVGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;

/**
 * {@code --experimental-serializable-ordering}: the store revisions of the reads the proxy answers
 * never go back, although serializable reads are served by whichever member the round robin
 * picks, and some member may be behind (etcd's ordering KV).
 *
 * <p>The proxy keeps the highest revision it has answered with (the floor). An answer below the
 * floor, as taken when the call began, is not relayed: the same request goes to each endpoint in
 * turn, and the first answer at or above the floor is relayed and raises it. When no endpoint has
 * caught up, the call fails with etcd's {@link #NO_GREATER_REV} (gRPC code Unknown, as a plain Go
 * error reaches etcd's clients). Errors from a member end the call as they are. Only calls that are
 * safe to repeat are ordered this way (ranges, read-only txns); a write's answer only raises the
 * floor, since a write is applied after everything any member had applied before it.
 *
 * <p>Turned {@link #off()}, every call goes once to the shared channel and nothing is checked.
 */
final class RevisionOrdering {
    static final String NO_GREATER_REV =
            "etcdclient: no cluster members have a revision higher than the previously received revision";

    private final boolean enabled;
    /** One stub per endpoint, each bound to that member alone; asked in this order on a stale answer. */
    private final List<KVGrpc.KVStub> endpoints;
    private final AtomicLong floor = new AtomicLong();

    private RevisionOrdering(boolean enabled, List<KVGrpc.KVStub> endpoints) {
        this.enabled = enabled;
        this.endpoints = List.copyOf(endpoints);
    }

    static RevisionOrdering off() {
        return new RevisionOrdering(false, List.of());
    }

    /** Ordering over {@code endpoints}, one stub per member. */
    static RevisionOrdering over(List<KVGrpc.KVStub> endpoints) {
        return new RevisionOrdering(true, endpoints);
    }

    boolean enabled() {
        return enabled;
    }

    /** The highest revision answered so far (0 before any, or when off). */
    long floor() {
        return floor.get();
    }

    /** Whether an answer at {@code revision} may be given now. */
    boolean admits(long revision) {
        return !enabled || revision >= floor.get();
    }

    /** Records an answer given at {@code revision}. */
    void answered(long revision) {
        if (enabled) {
            floor.accumulateAndGet(revision, Math::max);
        }
    }

    /**
     * Makes one call that is safe to repeat: first through {@code shared} (the round robin), then,
     * if its answer is behind the floor, through each endpoint in turn.
     *
     * @param decorate adds the client's credentials and deadline to a stub (bound before the call,
     *                 as the answers arrive outside the client's gRPC context)
     * @param call     starts the call on a stub
     * @param revision the store revision of an answer
     */
    <A> void call(KVGrpc.KVStub shared, UnaryOperator<KVGrpc.KVStub> decorate,
                  BiConsumer<KVGrpc.KVStub, StreamObserver<A>> call, ToLongFunction<A> revision,
                  StreamObserver<A> client) {
        if (!enabled) {
            call.accept(decorate.apply(shared), client);
            return;
        }
        new Attempts<>(decorate, call, revision, client, floor.get()).start(decorate.apply(shared), 0);
    }

    /** The attempts of one call: {@code next} is the index of the endpoint asked after a stale answer. */
    private final class Attempts<A> {
        private final UnaryOperator<KVGrpc.KVStub> decorate;
        private final BiConsumer<KVGrpc.KVStub, StreamObserver<A>> call;
        private final ToLongFunction<A> revision;
        private final StreamObserver<A> client;
        private final long atLeast;

        Attempts(UnaryOperator<KVGrpc.KVStub> decorate, BiConsumer<KVGrpc.KVStub, StreamObserver<A>> call,
                 ToLongFunction<A> revision, StreamObserver<A> client, long atLeast) {
            this.decorate = decorate;
            this.call = call;
            this.revision = revision;
            this.client = client;
            this.atLeast = atLeast;
        }

        void start(KVGrpc.KVStub stub, int next) {
            call.accept(stub, new StreamObserver<>() {
                private A answer;

                @Override
                public void onNext(A a) {
                    answer = a;
                }

                @Override
                public void onError(Throwable t) {
                    client.onError(t);
                }

                @Override
                public void onCompleted() {
                    long rev = revision.applyAsLong(answer);
                    if (rev >= atLeast) {
                        answered(rev);
                        client.onNext(answer);
                        client.onCompleted();
                    } else if (next < endpoints.size()) {
                        start(decorate.apply(endpoints.get(next)), next + 1);
                    } else {
                        client.onError(Status.UNKNOWN.withDescription(NO_GREATER_REV).asRuntimeException());
                    }
                }
            });
        }
    }
}
