package io.etcdj.etcdctl.print;

import java.nio.charset.StandardCharsets;

/**
 * Go's strconv.Quote (the %q verb on strings): printable runes stay, '"' and '\\' are escaped,
 * control characters use \a \b \f \n \r \t \v or \xNN, bytes that are not valid UTF-8 become \xNN,
 * other non-printable runes \\uNNNN or \\UNNNNNNNN.
 */
public final class GoQuote {
    private GoQuote() {}

    public static String quote(String s) {
        return quote(s.getBytes(StandardCharsets.UTF_8));
    }

    public static String quote(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length + 2);
        sb.append('"');
        int i = 0;
        while (i < b.length) {
            int[] decoded = Utf8.decode(b, i);
            int r = decoded[0];
            int width = decoded[1];
            if (r < 0) {
                sb.append("\\x").append(hex2(b[i] & 0xff));
                i += 1;
                continue;
            }
            appendRune(sb, r);
            i += width;
        }
        sb.append('"');
        return sb.toString();
    }

    private static void appendRune(StringBuilder sb, int r) {
        if (r == '"' || r == '\\') {
            sb.append('\\').append((char) r);
            return;
        }
        if (isPrint(r)) {
            sb.appendCodePoint(r);
            return;
        }
        switch (r) {
            case 7 -> sb.append("\\a");
            case '\b' -> sb.append("\\b");
            case '\f' -> sb.append("\\f");
            case '\n' -> sb.append("\\n");
            case '\r' -> sb.append("\\r");
            case '\t' -> sb.append("\\t");
            case 11 -> sb.append("\\v");
            default -> {
                if (r < ' ' || r == 0x7f) {
                    sb.append("\\x").append(hex2(r));
                } else if (r < 0x10000) {
                    sb.append("\\u").append(String.format("%04x", r));
                } else {
                    sb.append("\\U").append(String.format("%08x", r));
                }
            }
        }
    }

    /** An approximation of Go's unicode.IsPrint using Java's character categories. */
    static boolean isPrint(int r) {
        if (r < 0x20 || r == 0x7f) {
            return false;
        }
        if (r < 0x7f) {
            return true;
        }
        if (r == 0xad) {
            return false;
        }
        int t = Character.getType(r);
        return switch (t) {
            case Character.UNASSIGNED, Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE,
                 Character.SURROGATE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            case Character.SPACE_SEPARATOR -> r == ' ';
            default -> true;
        };
    }

    private static String hex2(int v) {
        return String.format("%02x", v);
    }
}
