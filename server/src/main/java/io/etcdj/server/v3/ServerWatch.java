package io.etcdj.server.v3;

import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.watch.WatchStream;
import io.etcdj.server.EtcdServer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One watcher that the server keeps for itself (the lock and election recipes), on its own
 * {@link WatchStream} of this member's store. Each response carrying events is handed to
 * {@code onEvents}, in revision order, on {@code executor}; a watcher the store cancels (its start
 * revision was compacted) is reported once to {@code onFailure} as etcd's "compacted" error.
 *
 * <p>While {@code mayDeliver} says no (the client's call is not ready for more), responses stay
 * in the stream's bounded buffer; when it fills, the store serves the watcher from history later,
 * so a slow client holds no unbounded memory. {@link #resume()} starts delivering again.
 *
 * <p>Invariants: at most one drain runs at a time ({@code signals} goes 0 → 1 only once per drain),
 * so callbacks never overlap and see responses in order; after {@link #close()} no callback starts.
 * The store's response listener only counts a signal and schedules (it runs under the store's locks).
 */
final class ServerWatch implements AutoCloseable {
    private final WatchStream stream;
    private final Executor executor;
    private final Consumer<WatchResponse> onEvents;
    private final Consumer<Throwable> onFailure;
    private final BooleanSupplier mayDeliver;
    private final AtomicInteger signals = new AtomicInteger();
    private volatile boolean closed;

    private ServerWatch(WatchStream stream, Executor executor, Consumer<WatchResponse> onEvents,
            Consumer<Throwable> onFailure, BooleanSupplier mayDeliver) {
        this.stream = stream;
        this.executor = executor;
        this.onEvents = onEvents;
        this.onFailure = onFailure;
        this.mayDeliver = mayDeliver;
    }

    /** Opens a stream, creates the watcher {@code request} on it and starts delivering. */
    static ServerWatch start(EtcdServer server, Executor executor, WatchCreateRequest request,
            Consumer<WatchResponse> onEvents, Consumer<Throwable> onFailure) {
        return start(server, executor, request, onEvents, onFailure, () -> true);
    }

    /** As above, delivering only while {@code mayDeliver} is true (see {@link #resume()}). */
    static ServerWatch start(EtcdServer server, Executor executor, WatchCreateRequest request,
            Consumer<WatchResponse> onEvents, Consumer<Throwable> onFailure, BooleanSupplier mayDeliver) {
        ServerWatch w = new ServerWatch(server.openWatchStream(), executor, onEvents, onFailure, mayDeliver);
        w.stream.setResponseListener(w::signal);
        w.stream.create(request);
        w.signal(); // the created response may have been queued before the listener saw it
        return w;
    }

    /** {@code mayDeliver} may have turned true: deliver what is waiting. */
    void resume() {
        signal();
    }

    private void signal() {
        if (signals.getAndIncrement() == 0) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException stopping) {
                signals.set(0);
            }
        }
    }

    private void drain() {
        int seen = signals.get();
        while (true) {
            WatchResponse r;
            while (!closed && mayDeliver.getAsBoolean() && (r = stream.poll()) != null) {
                deliver(r);
            }
            seen = signals.addAndGet(-seen);
            if (seen == 0) {
                return;
            }
        }
    }

    private void deliver(WatchResponse r) {
        if (r.getCanceled()) {
            close();
            onFailure.accept(r.getCompactRevision() > 0 ? MvccException.compacted()
                    : new IllegalStateException("watch refused: " + r.getCancelReason()));
        } else if (r.getEventsCount() > 0) {
            onEvents.accept(r);
        }
    }

    /** Removes the watcher; no callback starts after this returns (one already running may finish). */
    @Override
    public void close() {
        closed = true;
        stream.close();
    }
}
