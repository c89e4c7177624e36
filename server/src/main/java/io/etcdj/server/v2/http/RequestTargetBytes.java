package io.etcdj.server.v2.http;

import io.etcdj.server.v2.store.GoStrings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of a request target. Netty hands the request line over one char a byte (ISO-8859-1),
 * so a raw UTF-8 "é" in a URL arrives as two chars; Go keeps the bytes, and so must we: a key is
 * the bytes its URL spells, raw or percent-escaped, UTF-8 or not (kept as {@link GoStrings}).
 */
final class RequestTargetBytes {
    private RequestTargetBytes() {
    }

    /** Each char up to U+00FF as its byte; a char above (a target built in Java) as its UTF-8. */
    static byte[] bytes(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0xff) {
                out.write(c);
            } else {
                int cp = s.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp) - 1;
            }
        }
        return out.toByteArray();
    }

    /**
     * Go's unescape of a URL path ('+' stays '+'). A malformed escape (refused earlier, by
     * GoRequestRefusals, on the client port) is kept as it is.
     */
    static String path(String rawPath) {
        byte[] b = bytes(rawPath);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        for (int i = 0; i < b.length; i++) {
            int hi = i + 2 < b.length ? Character.digit(b[i + 1], 16) : -1;
            int lo = i + 2 < b.length ? Character.digit(b[i + 2], 16) : -1;
            if (b[i] == '%' && hi >= 0 && lo >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(b[i]);
            }
        }
        return GoStrings.fromBytes(out.toByteArray());
    }
}
