package io.etcdj.server.corruption;

import java.time.Duration;

/**
 * @param initial --experimental-initial-corrupt-check: compare with the peers before serving clients
 * @param period --experimental-corrupt-check-time: the leader's periodic check (zero: none)
 */
public record CorruptionCheckSettings(boolean initial, Duration period) {
    /** etcd's defaults: neither check. */
    public static final CorruptionCheckSettings OFF = new CorruptionCheckSettings(false, Duration.ZERO);

    /** Whether the leader checks periodically. */
    public boolean periodic() {
        return !period.isZero() && !period.isNegative();
    }
}
