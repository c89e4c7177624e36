package io.etcdj.benchmark.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.function.BiConsumer;

/**
 * The channels one client sends on (one per endpoint of its connection), used round-robin. Not
 * thread-safe by design: one closed-loop client drives one instance, one request at a time.
 */
public final class ClientChannels {
    private final Channel[] channels;
    private int next;

    ClientChannels(Channel[] channels) {
        this.channels = channels;
    }

    /** The channel for the next request. */
    public Channel next() {
        Channel c = channels[next];
        next = next + 1 == channels.length ? 0 : next + 1;
        return c;
    }

    /**
     * Sends one unary request and calls {@code done} once with (response, null) or (null, error),
     * on a transport thread.
     */
    public <Q, R> void unary(MethodDescriptor<Q, R> method, Q request, BiConsumer<R, Throwable> done) {
        ClientCall<Q, R> call = next().newCall(method, CallOptions.DEFAULT);
        ClientCalls.asyncUnaryCall(call, request, new StreamObserver<R>() {
            private R response;

            @Override
            public void onNext(R value) {
                response = value;
            }

            @Override
            public void onError(Throwable t) {
                done.accept(null, t);
            }

            @Override
            public void onCompleted() {
                done.accept(response, null);
            }
        });
    }
}
