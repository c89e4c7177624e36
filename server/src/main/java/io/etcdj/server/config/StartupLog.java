package io.etcdj.server.config;

import io.etcdj.server.logging.ZapJson;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where configuration parsing reports what it noticed before the real logger exists. etcd uses
 * a default zap logger for this; {@link #zapJson} writes the same JSON lines
 * ({"level":..,"ts":..,"caller":..,"msg":..,fields}) so log scrapers see etcd's shape.
 */
@FunctionalInterface
public interface StartupLog {
    /** A log that drops everything. */
    StartupLog NONE = (level, caller, message, fields) -> { };

    /** Severity names as zap spells them. */
    enum Level { DEBUG, INFO, WARN, ERROR, FATAL;
        String zapName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One entry.
     *
     * @param caller etcd's source location of the equivalent log call ("flags/flag.go:113")
     * @param fields extra fields in order; values are String, Number, Boolean or a collection of String
     */
    void log(Level level, String caller, String message, Map<String, Object> fields);

    /** A log that keeps entries in memory, for tests and for replay once the real logger exists. */
    final class Recording implements StartupLog {
        /** One recorded entry. */
        public record Entry(Level level, String caller, String message, Map<String, Object> fields) {}

        private final List<Entry> entries = new ArrayList<>();

        @Override
        public synchronized void log(Level level, String caller, String message, Map<String, Object> fields) {
            entries.add(new Entry(level, caller, message, Map.copyOf(fields)));
        }

        public synchronized List<Entry> entries() {
            return List.copyOf(entries);
        }
    }

    /** zap's production JSON encoding of one entry, written as one line to {@code out}. */
    static StartupLog zapJson(PrintStream out, Clock clock) {
        return (level, caller, message, fields) -> {
            out.println(ZapJson.line(level.zapName(), clock.instant(), caller, message, fields.entrySet()));
            out.flush();
        };
    }
}
