package io.etcdj.etcdctl.client;

import io.etcdj.etcdctl.print.GoJson;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One zap JSON log line, as etcdctl 3.4 writes them to stderr: its client library's logger stamps
 * ISO times ({@link #warn}), the snapshot manager's logger stamps epoch seconds ({@link #info}).
 */
public final class ZapLine {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXX");

    private ZapLine() {}

    /** Fields come as name/value pairs; values are strings, numbers or lists of strings. */
    public static String warn(String caller, String msg, Object... fields) {
        String ts = "\"" + OffsetDateTime.now().format(TS).replace("+0000", "Z") + "\"";
        return line("warn", ts, caller, msg, fields);
    }

    /** An info line stamped in epoch seconds; fields as for {@link #warn}. */
    public static String info(String caller, String msg, Object... fields) {
        long nanos = System.currentTimeMillis() * 1_000_000L + System.nanoTime() % 1_000_000L;
        return line("info", String.format("%.7f", nanos / 1e9), caller, msg, fields);
    }

    /** An info line stamped with the ISO time, as the client library writes it. */
    public static String infoIso(String caller, String msg, Object... fields) {
        String ts = "\"" + OffsetDateTime.now().format(TS).replace("+0000", "Z") + "\"";
        return line("info", ts, caller, msg, fields);
    }

    /** A line of zap's example logger: no time, no caller (etcdctl 3.4's migrate prints them to stdout). */
    public static String example(String level, String msg, Object... fields) {
        return line(level, null, null, msg, fields);
    }

    private static String line(String level, String ts, String caller, String msg, Object... fields) {
        StringBuilder b = new StringBuilder();
        b.append("{\"level\":\"").append(level).append('"');
        if (ts != null) {
            b.append(",\"ts\":").append(ts).append(",\"caller\":").append(GoJson.string(caller));
        }
        b.append(",\"msg\":").append(GoJson.string(msg));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            b.append(',').append(GoJson.string((String) fields[i])).append(':');
            Object v = fields[i + 1];
            if (v instanceof String s) {
                b.append(GoJson.string(s));
            } else if (v instanceof List<?> l) {
                b.append('[');
                for (int j = 0; j < l.size(); j++) {
                    b.append(j == 0 ? "" : ",").append(GoJson.string(String.valueOf(l.get(j))));
                }
                b.append(']');
            } else {
                b.append(v);
            }
        }
        return b.append('}').toString();
    }
}
