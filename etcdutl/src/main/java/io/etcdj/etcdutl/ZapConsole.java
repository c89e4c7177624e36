package io.etcdj.etcdutl;

import io.etcdj.etcdctl.print.GoQuote;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One log line as etcdutl 3.5's zap console logger writes it on stderr:
 * {@code TIME<TAB>LEVEL<TAB>[CALLER<TAB>]MESSAGE[<TAB>{"key": value, ...}]}, the time in UTC to the
 * second. Field values: strings quoted, lists of strings as ["a", "b"], numbers bare.
 */
final class ZapConsole {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private ZapConsole() {}

    /** A line without caller and fields (backup's lines). */
    static String line(String level, String message) {
        return now() + "\t" + level + "\t" + message;
    }

    /** A line with its caller and {@code fields} as key, value pairs. */
    static String line(String level, String caller, String message, Object... fields) {
        StringBuilder b = new StringBuilder(now()).append('\t').append(level).append('\t').append(caller)
                .append('\t').append(message);
        if (fields.length > 0) {
            b.append("\t{");
            for (int i = 0; i < fields.length; i += 2) {
                b.append(i == 0 ? "" : ", ").append('"').append(fields[i]).append("\": ").append(value(fields[i + 1]));
            }
            b.append('}');
        }
        return b.toString();
    }

    private static String value(Object v) {
        if (v instanceof List<?> list) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(value(list.get(i)));
            }
            return b.append(']').toString();
        }
        return v instanceof Number ? v.toString() : GoQuote.quote(String.valueOf(v));
    }

    private static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).format(TIME);
    }
}
