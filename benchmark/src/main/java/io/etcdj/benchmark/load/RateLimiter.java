package io.etcdj.benchmark.load;

/**
 * A token bucket of burst one, like Go's {@code rate.NewLimiter(r, 1)}: permits are spaced at least
 * {@code 1/rate} apart. {@link #reserve} never blocks; it says how long the caller must wait
 * before using the permit it just took.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private long nextFree;

    private RateLimiter(long intervalNanos) {
        this.intervalNanos = intervalNanos;
        this.nextFree = System.nanoTime();
    }

    /** A limiter for {@code perSecond} permits per second, or null for "no limit" (0 or less). */
    public static RateLimiter perSecondOrNull(double perSecond) {
        if (perSecond <= 0) {
            return null;
        }
        return new RateLimiter(Math.max(1, Math.round(1e9 / perSecond)));
    }

    /** Takes the next permit; returns the nanoseconds to wait until it is due (0 if due now). */
    public synchronized long reserve() {
        return reserve(System.nanoTime());
    }

    synchronized long reserve(long now) {
        long at = Math.max(nextFree, now);
        nextFree = at + intervalNanos;
        return at - now;
    }
}
