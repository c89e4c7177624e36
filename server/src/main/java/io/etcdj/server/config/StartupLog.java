package io.etcdj.server.config;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
            return name().toLowerCase(java.util.Locale.ROOT);
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
        DateTimeFormatter ts = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);
        return (level, caller, message, fields) -> {
            StringBuilder b = new StringBuilder("{");
            b.append("\"level\":").append(quote(level.zapName()));
            b.append(",\"ts\":").append(quote(ts.format(clock.instant())));
            b.append(",\"caller\":").append(quote(caller));
            b.append(",\"msg\":").append(quote(message));
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                b.append(',').append(quote(e.getKey())).append(':').append(json(e.getValue()));
            }
            b.append('}');
            out.println(b);
            out.flush();
        };
    }

    private static String json(Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof Collection<?> c) {
            StringBuilder b = new StringBuilder("[");
            for (Object o : c) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(json(o));
            }
            return b.append(']').toString();
        }
        return quote(String.valueOf(v));
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
