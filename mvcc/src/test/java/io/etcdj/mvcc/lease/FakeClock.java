package io.etcdj.mvcc.lease;

import java.time.Duration;

/** A clock that moves only when told to. */
final class FakeClock implements MonotonicClock {
    private long now = 1_000_000_000_000L;

    @Override
    public synchronized long nanos() {
        return now;
    }

    synchronized void advance(Duration d) {
        now += d.toNanos();
    }
}
