package io.etcdj.server.compaction;

import java.time.Duration;

/**
 * {@code --auto-compaction-mode} and {@code --auto-compaction-retention}, the latter as
 * {@code AutoCompaction.retention} reads it (a revision count travels as nanoseconds).
 */
public record AutoCompactionSettings(String mode, Duration retention) {
    /** etcd's default: periodic mode with retention 0, which is off. */
    public static final AutoCompactionSettings OFF = new AutoCompactionSettings("periodic", Duration.ZERO);
}
