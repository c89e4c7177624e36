package io.etcdj.server.logging;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The logging flags in force: --log-level (debug, info, warn, error, dpanic, panic, fatal),
 * --log-outputs ("default" and "stderr" are standard error, "stdout", "systemd/journal", or file
 * paths), --log-format (json or console) and, with --enable-log-rotation, how the single log
 * file is rotated.
 */
public record LogSettings(String level, List<String> outputs, String format, Optional<LogRotation> rotation) {
    /** etcd's defaults: info, to standard error, as JSON, no rotation. */
    public static final LogSettings DEFAULTS = new LogSettings("info", List.of("default"), "json");

    /** Without rotation. */
    public LogSettings(String level, List<String> outputs, String format) {
        this(level, outputs, format, Optional.empty());
    }

    public LogSettings {
        level = level.toLowerCase(Locale.ROOT);
        outputs = List.copyOf(outputs);
    }

    public boolean console() {
        return format.equals("console");
    }
}
