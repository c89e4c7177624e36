package io.etcdj.etcdctl.client;

import io.etcdj.etcdctl.print.GoJson;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/** One zap production-logger JSON line, as etcdctl 3.4's client library writes to stderr. */
public final class ZapLine {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXX");

    private ZapLine() {}

    /** Fields come as name/value pairs; values are strings or numbers. */
    public static String warn(String caller, String msg, Object... fields) {
        StringBuilder b = new StringBuilder();
        String ts = OffsetDateTime.now().format(TS).replace("+0000", "Z");
        b.append("{\"level\":\"warn\",\"ts\":\"").append(ts).append("\",\"caller\":")
                .append(GoJson.string(caller)).append(",\"msg\":").append(GoJson.string(msg));
        for (int i = 0; i + 1 < fields.length; i += 2) {
            b.append(',').append(GoJson.string((String) fields[i])).append(':');
            Object v = fields[i + 1];
            b.append(v instanceof String s ? GoJson.string(s) : String.valueOf(v));
        }
        return b.append('}').toString();
    }
}
