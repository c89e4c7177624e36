package io.etcdj.server.compaction;

import java.time.Duration;
import java.util.OptionalLong;

/**
 * etcd's revision compaction: every five minutes, compact to the current revision minus the
 * retention, unless that is not positive or was the last revision compacted to.
 */
final class RevisionPlan implements CompactionPlan {
    static final Duration INTERVAL = Duration.ofMinutes(5);

    private final long retention;
    private final Duration interval;
    private long previous;

    RevisionPlan(long retention) {
        this(retention, INTERVAL);
    }

    /** With another interval than etcd's five minutes (tests). */
    RevisionPlan(long retention, Duration interval) {
        this.retention = retention;
        this.interval = interval;
    }

    @Override
    public Duration tickInterval() {
        return interval;
    }

    @Override
    public OptionalLong due(long nowNanos, long revision) {
        long target = revision - retention;
        return target <= 0 || target == previous ? OptionalLong.empty() : OptionalLong.of(target);
    }

    @Override
    public void succeeded(long nowNanos, long compactedTo) {
        previous = compactedTo;
    }

    @Override
    public String retentionField() {
        return "revision-compaction-retention";
    }

    @Override
    public Object retentionValue() {
        return retention;
    }
}
