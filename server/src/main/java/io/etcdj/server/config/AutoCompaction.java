package io.etcdj.server.config;

import java.time.Duration;

/**
 * How etcd reads {@code --auto-compaction-retention}: a non-negative integer is hours in
 * periodic mode and a revision count in revision mode; anything else must be a Go duration.
 */
public final class AutoCompaction {
    private AutoCompaction() {}

    /**
     * The retention as etcd's compactor receives it: a duration in periodic mode; in revision
     * mode the revision count travels as a nanosecond count (etcd's own encoding).
     *
     * @throws IllegalArgumentException with etcd's text "error parsing CompactionRetention: ..."
     */
    public static Duration retention(String mode, String retention) {
        Long whole = null;
        try {
            long h = Long.parseLong(retention);
            if (h >= 0 && retention.matches("[+-]?[0-9]+")) {
                whole = h;
            }
        } catch (NumberFormatException ignored) {
            // not an integer: a duration
        }
        if (whole != null) {
            return switch (mode) {
                case "revision" -> Duration.ofNanos(whole);
                case "periodic" -> Duration.ofHours(whole);
                default -> Duration.ZERO;
            };
        }
        try {
            return GoDuration.parse(retention);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("error parsing CompactionRetention: " + e.getMessage());
        }
    }
}
