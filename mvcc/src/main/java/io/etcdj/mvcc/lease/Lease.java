package io.etcdj.mvcc.lease;

import java.util.HashSet;
import java.util.Set;

import com.google.protobuf.ByteString;

/**
 * One lease's in-memory state, guarded by the {@link Lessor}'s lock.
 *
 * <p>{@code expiry} is a {@link MonotonicClock} time in nanoseconds, or {@link #FOREVER} while the
 * lessor is not primary (followers never expire leases).
 */
final class Lease {
    static final long FOREVER = Long.MAX_VALUE;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    final long id;
    final long ttl;
    /** Last checkpointed remaining TTL in seconds; 0: none (count from {@link #ttl}). */
    long remainingTtl;
    long expiry = FOREVER;
    final Set<ByteString> keys = new HashSet<>();

    Lease(long id, long ttl, long remainingTtl) {
        this.id = id;
        this.ttl = ttl;
        this.remainingTtl = remainingTtl;
    }

    /** Seconds to count down from when the lease (re)starts its clock. */
    long countdownSeconds() {
        return remainingTtl > 0 ? remainingTtl : ttl;
    }

    /** Restarts the countdown at {@code now}, extended by {@code extendNanos}. */
    void refresh(long now, long extendNanos) {
        expiry = saturatedAdd(now, saturatedAdd(extendNanos, saturatedMul(countdownSeconds(), NANOS_PER_SECOND)));
    }

    long remainingNanos(long now) {
        return expiry == FOREVER ? FOREVER : expiry - now;
    }

    boolean expired(long now) {
        return expiry != FOREVER && expiry <= now;
    }

    StoredLease stored() {
        return new StoredLease(id, ttl, remainingTtl);
    }

    static long saturatedAdd(long a, long b) {
        long r = a + b;
        if (((a ^ r) & (b ^ r)) < 0) {
            return r < 0 ? FOREVER : Long.MIN_VALUE;
        }
        return r;
    }

    static long saturatedMul(long seconds, long factor) {
        if (seconds > FOREVER / factor) {
            return FOREVER;
        }
        return seconds * factor;
    }
}
