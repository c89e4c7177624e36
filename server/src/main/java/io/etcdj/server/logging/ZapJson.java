package io.etcdj.server.logging;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;

/**
 * zap's production encodings of one entry: a JSON object on one line
 * ({"level":..,"ts":..,"caller":..,"msg":..,fields}) or the console form (tab-separated ts,
 * level, caller, msg, then the fields as one JSON object). Field values are strings, numbers,
 * booleans or collections of those; every field and the message pass through
 * {@link SecretRedaction}.
 */
public final class ZapJson {
    private static final DateTimeFormatter TS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);

    private ZapJson() {}

    /** zap's timestamp: ISO 8601, milliseconds, UTC. */
    public static String timestamp(Instant t) {
        return TS.format(t);
    }

    /** One JSON line (no newline). */
    public static String line(String level, Instant ts, String caller, String msg,
                              Iterable<? extends Map.Entry<String, ?>> fields) {
        StringBuilder b = new StringBuilder("{");
        b.append("\"level\":").append(quote(level));
        b.append(",\"ts\":").append(quote(timestamp(ts)));
        b.append(",\"caller\":").append(quote(caller));
        b.append(",\"msg\":").append(quote(SecretRedaction.redactText(msg)));
        for (Map.Entry<String, ?> e : fields) {
            b.append(',').append(quote(e.getKey())).append(':')
                    .append(value(SecretRedaction.redactField(e.getKey(), e.getValue())));
        }
        return b.append('}').toString();
    }

    /** One console line (no newline): ts, level, caller, msg and the fields as JSON, tab-separated. */
    public static String consoleLine(String level, Instant ts, String caller, String msg,
                                     Iterable<? extends Map.Entry<String, ?>> fields) {
        StringBuilder b = new StringBuilder(timestamp(ts)).append('\t').append(level).append('\t').append(caller)
                .append('\t').append(SecretRedaction.redactText(msg));
        StringBuilder f = new StringBuilder();
        for (Map.Entry<String, ?> e : fields) {
            f.append(f.length() == 0 ? "{" : ",").append(quote(e.getKey())).append(':')
                    .append(value(SecretRedaction.redactField(e.getKey(), e.getValue())));
        }
        if (f.length() > 0) {
            b.append('\t').append(f).append('}');
        }
        return b.toString();
    }

    private static String value(Object v) {
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof Collection<?> c) {
            StringBuilder b = new StringBuilder("[");
            for (Object o : c) {
                if (b.length() > 1) {
                    b.append(',');
                }
                b.append(value(o));
            }
            return b.append(']').toString();
        }
        return quote(String.valueOf(v));
    }

    /** A JSON string literal. */
    public static String quote(String s) {
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
