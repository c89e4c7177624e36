package io.etcdj.server.compaction;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.OptionalLong;

/**
 * etcd's periodic compaction: the revision is sampled every tenth of the period (of an hour at
 * most), and the samples of the last period are kept; once a whole period has passed since the
 * start (or since the last success), the oldest sample, the revision of a period ago, is compacted
 * to. After the first compaction one follows every period, or every hour for longer periods.
 */
final class PeriodicPlan implements CompactionPlan {
    private static final int RETRY_DIVISOR = 10;

    private final Duration period;
    private final Duration tick;
    private final int samplesKept;
    private final ArrayDeque<Long> samples = new ArrayDeque<>();
    private long lastSuccessNanos;
    private Duration interval;

    PeriodicPlan(Duration period, long startNanos) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        this.period = period;
        Duration capped = period.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : period;
        this.tick = capped.dividedBy(RETRY_DIVISOR);
        this.samplesKept = (int) (period.toNanos() / tick.toNanos()) + 1;
        this.lastSuccessNanos = startNanos;
        this.interval = period; // the first compaction waits a whole period
    }

    @Override
    public Duration tickInterval() {
        return tick;
    }

    @Override
    public void beforeWait(long revision) {
        samples.addLast(revision);
        if (samples.size() > samplesKept) {
            samples.removeFirst(); // the first sample is always the revision of a period ago
        }
    }

    @Override
    public OptionalLong due(long nowNanos, long revision) {
        if (nowNanos - lastSuccessNanos < interval.toNanos()) {
            return OptionalLong.empty();
        }
        interval = period.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : period;
        return OptionalLong.of(samples.getFirst());
    }

    @Override
    public void succeeded(long nowNanos, long compactedTo) {
        lastSuccessNanos = nowNanos;
    }

    @Override
    public String retentionField() {
        return "compact-period";
    }

    @Override
    public Object retentionValue() {
        return period;
    }
}
