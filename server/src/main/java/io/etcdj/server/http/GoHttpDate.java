package io.etcdj.server.http;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The Date header as Go's net/http writes it (RFC 1123 with "GMT", English names). */
public final class GoHttpDate {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private GoHttpDate() {}

    public static String now() {
        return FORMAT.format(ZonedDateTime.now(ZoneOffset.UTC));
    }
}
