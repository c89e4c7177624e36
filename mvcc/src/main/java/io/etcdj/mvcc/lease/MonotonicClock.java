package io.etcdj.mvcc.lease;

/**
 * The lessor's only source of time: a monotonic nanosecond counter with an arbitrary origin (like
 * {@link System#nanoTime()}). Injected so that tests can move time by hand.
 */
@FunctionalInterface
public interface MonotonicClock {
    MonotonicClock SYSTEM = System::nanoTime;

    long nanos();
}
