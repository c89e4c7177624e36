package io.etcdj.server.proxy.grpcproxy;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A bidirectional stream the proxy opens to the cluster on behalf of many clients. Responses and
 * the stream's end (error or completion alike) are reported together with the stream they came
 * from, so that the owner, which replaces a broken stream by a new one, can ignore anything still
 * arriving from the old one.
 */
final class UpstreamStream {
    /** The pause before a broken stream is reopened, so a cluster that is down is not retried in a tight loop. */
    private static final long REOPEN_DELAY_MILLIS = 100;

    private UpstreamStream() {}

    /** Runs {@code reopen} after the reopen delay, unless the proxy is shutting down. */
    static void reopenLater(ScheduledExecutorService timer, Runnable reopen) {
        try {
            timer.schedule(reopen, REOPEN_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // the proxy is closing: nothing to reopen for
        }
    }

    static <Q, A> ClientCallStreamObserver<Q> open(Function<StreamObserver<A>, StreamObserver<Q>> call,
                                                   BiConsumer<ClientCallStreamObserver<Q>, A> response,
                                                   Consumer<ClientCallStreamObserver<Q>> ended) {
        ClientResponseObserver<Q, A> observer = new ClientResponseObserver<>() {
            private ClientCallStreamObserver<Q> mine;

            @Override
            public void beforeStart(ClientCallStreamObserver<Q> requests) {
                mine = requests;
            }

            @Override
            public void onNext(A r) {
                response.accept(mine, r);
            }

            @Override
            public void onError(Throwable t) {
                ended.accept(mine);
            }

            @Override
            public void onCompleted() {
                ended.accept(mine);
            }
        };
        return (ClientCallStreamObserver<Q>) call.apply(observer);
    }
}
