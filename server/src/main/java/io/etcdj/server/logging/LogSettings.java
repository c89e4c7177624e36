package io.etcdj.server.logging;

import java.util.List;
import java.util.Locale;

/**
 * The logging flags in force: --log-level (debug, info, warn, error, dpanic, panic, fatal),
 * --log-outputs ("default" and "stderr" are standard error, "stdout", "systemd/journal", or file
 * paths) and --log-format (json or console).
 */
public record LogSettings(String level, List<String> outputs, String format) {
    /** etcd's defaults: info, to standard error, as JSON. */
    public static final LogSettings DEFAULTS = new LogSettings("info", List.of("default"), "json");

    public LogSettings {
        level = level.toLowerCase(Locale.ROOT);
        outputs = List.copyOf(outputs);
    }

    public boolean console() {
        return format.equals("console");
    }
}
