package io.etcdj.server;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link CompletableFuture#orTimeout} for the per-request waits (a proposal's apply, a linearizable
 * read's ReadIndex), without its cost on the request path: the JDK's version takes a lock and
 * sifts a heap on one shared scheduler twice per request (to add the timer and to remove it when
 * the request ends first, as nearly all do). A hashed wheel adds and cancels in constant time
 * without a lock. Its hand turns every {@link #TICK_MILLIS}, so a timeout fires up to that much
 * late; the waits it bounds last seconds.
 */
final class RequestTimeouts {
    static final long TICK_MILLIS = 20;

    private static final Timer WHEEL = new HashedWheelTimer(r -> {
        Thread t = new Thread(r, "request-timeouts");
        t.setDaemon(true);
        return t;
    }, TICK_MILLIS, TimeUnit.MILLISECONDS, 512, false);

    private RequestTimeouts() {}

    /** {@code f} itself, completed with a {@link TimeoutException} if still pending after {@code millis}. */
    static <T> CompletableFuture<T> orTimeout(CompletableFuture<T> f, long millis) {
        if (f.isDone()) {
            return f;
        }
        Timeout timer = WHEEL.newTimeout(t -> f.completeExceptionally(new TimeoutException()), millis,
                TimeUnit.MILLISECONDS);
        f.whenComplete((v, err) -> timer.cancel());
        return f;
    }
}
