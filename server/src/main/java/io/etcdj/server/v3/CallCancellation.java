package io.etcdj.server.v3;

import io.etcdj.server.grpcgo.OneShotActions;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CancellationException;

/**
 * Whether the client of one gRPC call went away (cancelled, deadline passed, disconnected), and
 * what to stop when it does: the recipes' counterpart of a Go request context.
 *
 * <p>Invariant: every action handed to {@link #onCancel} runs exactly once if the call is
 * cancelled (at once if it already was), and never otherwise ({@link OneShotActions}).
 */
final class CallCancellation {
    private final OneShotActions actions = new OneShotActions();

    /** Watches {@code out}'s call; must be called on the thread that received the call. */
    static CallCancellation of(StreamObserver<?> out) {
        CallCancellation c = new CallCancellation();
        if (out instanceof ServerCallStreamObserver<?> call) {
            call.setOnCancelHandler(c::cancel);
        }
        return c;
    }

    /** A scope that is never cancelled (clean-up work that must run to its end). */
    static CallCancellation never() {
        return new CallCancellation();
    }

    void cancel() {
        actions.fire();
    }

    boolean isCancelled() {
        return actions.fired();
    }

    /** Runs {@code action} when the call is cancelled; returns a handle that withdraws it. */
    Runnable onCancel(Runnable action) {
        return actions.add(action);
    }

    /** The failure a wait ends with when its call is cancelled. */
    static CancellationException cancelled() {
        return new CancellationException("context canceled");
    }
}
