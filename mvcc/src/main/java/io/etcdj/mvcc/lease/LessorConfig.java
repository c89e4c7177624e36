package io.etcdj.mvcc.lease;

import java.time.Duration;

/**
 * How a {@link Lessor} behaves.
 *
 * @param minTtlSeconds granted TTLs below this are raised to it (see {@link #minLeaseTtl})
 * @param checkpointInterval how often the primary checkpoints remaining TTLs ({@code null} or zero: never;
 *     etcd's {@code --experimental-enable-lease-checkpoint} with its default of 5 minutes)
 * @param checkpointPersist whether applied checkpoints write the remaining TTL to the lease bucket
 *     ({@code --experimental-enable-lease-checkpoint-persist})
 * @param expiredRetryInterval how long an expired lease offered for revocation waits before it is
 *     offered again (etcd: the request timeout, 5 s + 2 election timeouts)
 */
public record LessorConfig(long minTtlSeconds, Duration checkpointInterval, boolean checkpointPersist,
        Duration expiredRetryInterval) {

    /** etcd's largest TTL a lease may be granted, in seconds. */
    public static final long MAX_TTL_SECONDS = 9_000_000_000L;

    public LessorConfig {
        if (checkpointInterval == null) {
            checkpointInterval = Duration.ZERO;
        }
        if (expiredRetryInterval == null || expiredRetryInterval.isZero() || expiredRetryInterval.isNegative()) {
            expiredRetryInterval = Duration.ofSeconds(3);
        }
    }

    /**
     * etcd's minimum lease TTL in whole seconds: {@code ceil(((3 * electionTicks) / 2) * heartbeat)}, the
     * division being an integer division of ticks (defaults 10 ticks of 100 ms: 1.5 s, hence 2).
     */
    public static long minLeaseTtl(int electionTicks, Duration heartbeat) {
        long nanos = ((3L * electionTicks) / 2) * heartbeat.toNanos();
        return (nanos + 999_999_999L) / 1_000_000_000L;
    }

    /** Defaults of an etcd started without flags: min TTL 2 s, no checkpoints, retry after 7 s. */
    public static LessorConfig defaults() {
        return new LessorConfig(minLeaseTtl(10, Duration.ofMillis(100)), Duration.ZERO, false,
                Duration.ofSeconds(7));
    }

    public boolean checkpointing() {
        return !checkpointInterval.isZero() && !checkpointInterval.isNegative();
    }
}
