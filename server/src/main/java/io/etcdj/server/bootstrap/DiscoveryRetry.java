package io.etcdj.server.bootstrap;

import java.time.Duration;

/**
 * How long the discovery protocol keeps trying an unreachable service: the n-th retry waits
 * {@code base * 2^min(n, maxExponent)}, and after {@code maxRetries} retries joining fails with
 * "discovery: too many retries". etcd's own policy is {@link #ETCD}: 2 s, 4 s, ... up to 256 s
 * between tries, practically without end.
 */
public record DiscoveryRetry(int maxRetries, Duration base, int maxExponent) {
    /** etcd's: 1 s base, exponent capped at 8, 2^32-1 retries. */
    public static final DiscoveryRetry ETCD = new DiscoveryRetry(Integer.MAX_VALUE, Duration.ofSeconds(1), 8);

    /** The pause before retry number {@code retry} (1 for the first). */
    public Duration backoff(int retry) {
        return base.multipliedBy(1L << Math.min(retry, maxExponent));
    }
}
