package io.etcdj.mvcc;

import java.time.Duration;

/**
 * How a physical compaction shares the backend with writes (etcd's
 * {@code --experimental-compaction-batch-limit} and {@code --experimental-compaction-sleep-interval}):
 * it looks at no more than {@code batchLimit} stored revisions per batch, commits the deletions of
 * each batch on its own, and pauses {@code sleepInterval} before the next, so writes are never held
 * up by more than one batch.
 *
 * <p>Invariant: {@code batchLimit >= 1} and {@code sleepInterval} is not negative.
 */
public record CompactionPacing(int batchLimit, Duration sleepInterval) {
    /** etcd's defaults: 1000 revisions per batch, 10 ms between batches. */
    public static final CompactionPacing DEFAULTS = new CompactionPacing(1000, Duration.ofMillis(10));

    public CompactionPacing {
        if (batchLimit < 1) {
            throw new IllegalArgumentException("compaction batch limit must be at least 1, not " + batchLimit);
        }
        if (sleepInterval.isNegative()) {
            throw new IllegalArgumentException("compaction sleep interval must not be negative");
        }
    }
}
