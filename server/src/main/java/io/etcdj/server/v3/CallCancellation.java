package io.etcdj.server.v3;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * Whether the client of one gRPC call went away (cancelled, deadline passed, disconnected), and
 * what to stop when it does: the recipes' counterpart of a Go request context.
 *
 * <p>Invariant: every action handed to {@link #onCancel} runs exactly once if the call is
 * cancelled (at once if it already was), and never otherwise.
 */
final class CallCancellation {
    private final List<Runnable> actions = new ArrayList<>(); // guarded by this
    private boolean cancelled; // guarded by this

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
        List<Runnable> run;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            run = List.copyOf(actions);
            actions.clear();
        }
        run.forEach(Runnable::run);
    }

    synchronized boolean isCancelled() {
        return cancelled;
    }

    /** Runs {@code action} when the call is cancelled; returns a handle that withdraws it. */
    Runnable onCancel(Runnable action) {
        synchronized (this) {
            if (!cancelled) {
                actions.add(action);
                return () -> withdraw(action);
            }
        }
        action.run();
        return () -> { };
    }

    private synchronized void withdraw(Runnable action) {
        actions.remove(action);
    }

    /** The failure a wait ends with when its call is cancelled. */
    static CancellationException cancelled() {
        return new CancellationException("context canceled");
    }
}
