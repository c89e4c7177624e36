package io.etcdj.mvcc.lease;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Spreads lease expiries after a promotion so that piled-up leases do not all expire in the same second
 * (etcd's rule): leases are walked in expiry order in one-second windows; once a window holds more than
 * three quarters of the revoke rate, each further lease is pushed back in proportion to how far over the
 * target its window is, minus how far it already was from the window's start.
 */
final class ExpirySpreading {
    /** Leases revoked per second at most (etcd's {@code leaseRevokeRate}). */
    static final int REVOKE_RATE = 1000;
    private static final long SECOND = 1_000_000_000L;

    private ExpirySpreading() {
    }

    /**
     * @param leases every lease, already refreshed at {@code now} with {@code extendNanos}
     * @return the leases whose expiry was pushed back (their expiry is updated in place)
     */
    static List<Lease> spread(List<Lease> leases, long now, long extendNanos) {
        List<Lease> moved = new ArrayList<>();
        if (leases.size() < REVOKE_RATE) {
            return moved;
        }
        List<Lease> sorted = new ArrayList<>(leases);
        sorted.sort(Comparator.comparingLong((Lease l) -> l.expiry).thenComparingLong(l -> l.id));
        int target = 3 * REVOKE_RATE / 4;
        long windowStart = sorted.get(0).remainingNanos(now);
        long windowEnd = windowStart + SECOND;
        int inWindow = 0;
        for (Lease l : sorted) {
            long remaining = l.remainingNanos(now);
            if (remaining > windowEnd) {
                windowStart = remaining;
                windowEnd = windowStart + SECOND;
                inWindow = 1;
                continue;
            }
            inWindow++;
            if (inWindow <= target) {
                continue;
            }
            long delay = (long) ((double) SECOND * inWindow / target) - (remaining - windowStart);
            windowEnd = windowStart + delay;
            l.refresh(now, Lease.saturatedAdd(delay, extendNanos));
            moved.add(l);
        }
        return moved;
    }
}
