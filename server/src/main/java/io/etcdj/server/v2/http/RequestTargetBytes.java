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
        try {
            return unescape(rawPath, false);
        } catch (GoForm.FormException notInAPath) {
            throw new IllegalStateException(notInAPath); // only a query component refuses
        }
    }

    /**
     * Go's url unescape of {@code s}'s bytes: each %XX to its byte, and in a query component
     * ({@code query}) '+' to a space and a malformed escape refused with Go's text; in a path a
     * malformed escape is kept as it is and nothing is refused.
     */
    static String unescape(String s, boolean query) throws GoForm.FormException {
        byte[] b = bytes(s);
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length);
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            boolean escape = c == '%' && i + 2 < b.length && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0;
            if (escape) {
                out.write(hex(b[i + 1]) * 16 + hex(b[i + 2]));
                i += 2;
            } else if (c == '%' && query) {
                String bad = s.substring(Math.min(i, s.length()), Math.min(i + 3, s.length()));
                throw new GoForm.FormException("invalid URL escape \"" + bad + "\"");
            } else {
                out.write(c == '+' && query ? ' ' : c);
            }
        }
        return GoStrings.fromBytes(out.toByteArray());
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
