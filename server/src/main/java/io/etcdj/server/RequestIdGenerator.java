package io.etcdj.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique request IDs across the cluster (etcd's scheme): the top 16 bits are the low 16 bits of
 * the member ID; the rest starts at the start time in milliseconds (40 bits) shifted left by 8
 * and counts up, so a restarted member does not reuse IDs of its previous life.
 */
public final class RequestIdGenerator {
    private static final int SUFFIX_BITS = 48;
    private static final long SUFFIX_MASK = (1L << SUFFIX_BITS) - 1;

    private final long prefix;
    private final AtomicLong suffix;

    public RequestIdGenerator(long memberId, long startMillis) {
        this.prefix = (memberId & 0xFFFF) << SUFFIX_BITS;
        this.suffix = new AtomicLong(((startMillis & ((1L << 40) - 1)) << 8) & SUFFIX_MASK);
    }

    public long next() {
        return prefix | (suffix.incrementAndGet() & SUFFIX_MASK);
    }
}
