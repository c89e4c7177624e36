package io.etcdj.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for a condition with a deadline: the condition is polled (every 10 ms unless told) until it holds;
 * past the deadline the wait fails with an {@link AssertionError} naming what it waited for. A test
 * never sleeps to synchronise, it waits for what it needs.
 */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(10);

    private Await() {
    }

    /** Returns once {@code condition} holds; fails after {@code timeout}. An exception from the condition ends the wait. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, POLL, what, condition);
    }

    /** As {@link #until(Duration, String, BooleanSupplier)}, polling every {@code poll} (a costly condition). */
    public static void until(Duration timeout, Duration poll, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            try {
                Thread.sleep(poll.toMillis()); // the polling interval, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
