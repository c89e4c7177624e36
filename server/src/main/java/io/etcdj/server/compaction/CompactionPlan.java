package io.etcdj.server.compaction;

import java.time.Duration;
import java.util.OptionalLong;

/** When and to which revision an automatic compaction is due; one tick at a time, no clock of its own. */
interface CompactionPlan {

    /** How long the compactor waits between ticks. */
    Duration tickInterval();

    /**
     * One tick, after the wait, while this member leads.
     *
     * @param nowNanos a monotonic time
     * @param revision the store's current revision
     * @return the revision to compact to now, if any
     */
    OptionalLong due(long nowNanos, long revision);

    /** The compaction {@link #due} asked for took effect (or the revision was compacted already). */
    void succeeded(long nowNanos, long compactedTo);

    /** Called at the start of every round, paused or not, before the wait. */
    default void beforeWait(long revision) {
    }

    /** What the log lines call this plan's retention ("compact-period" or "revision-compaction-retention"). */
    String retentionField();

    Object retentionValue();
}
