package io.etcdj.etcdctl.command;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Go's strconv.Unquote / fmt's %q scanning for double-quoted and back-quoted strings. */
final class GoUnquote {
    private GoUnquote() {}

    /** Returns the unquoted text, or null when the literal is malformed. */
    static String unquote(String q) {
        int[] end = new int[1];
        String s = scan(q, 0, end);
        return s != null && end[0] == q.length() ? s : null;
    }

    /**
     * Reads one quoted literal starting at {@code pos} (after optional spaces); stores the index
     * after it in {@code end[0]}; null if there is none.
     */
    static String scan(String in, int pos, int[] end) {
        int i = pos;
        while (i < in.length() && Character.isWhitespace(in.charAt(i))) i++;
        if (i >= in.length()) {
            return null;
        }
        char q = in.charAt(i);
        if (q == '`') {
            int close = in.indexOf('`', i + 1);
            if (close < 0) {
                return null;
            }
            end[0] = close + 1;
            return in.substring(i + 1, close);
        }
        if (q != '"') {
            return null;
        }
        StringBuilder b = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        i++;
        while (i < in.length()) {
            char c = in.charAt(i);
            if (c == '"') {
                end[0] = i + 1;
                flush(bytes, b);
                return b.toString();
            }
            if (c == '\\') {
                if (i + 1 >= in.length()) {
                    return null;
                }
                char e = in.charAt(i + 1);
                i += 2;
                switch (e) {
                    case 'a' -> bytes.write(7);
                    case 'b' -> bytes.write(8);
                    case 'f' -> bytes.write(12);
                    case 'n' -> bytes.write(10);
                    case 'r' -> bytes.write(13);
                    case 't' -> bytes.write(9);
                    case 'v' -> bytes.write(11);
                    case '\\' -> bytes.write('\\');
                    case '"' -> bytes.write('"');
                    case '\'' -> bytes.write('\'');
                    case 'x' -> {
                        if (i + 2 > in.length()) return null;
                        bytes.write(Integer.parseInt(in.substring(i, i + 2), 16));
                        i += 2;
                    }
                    case 'u', 'U' -> {
                        int n = e == 'u' ? 4 : 8;
                        if (i + n > in.length()) return null;
                        flush(bytes, b);
                        b.appendCodePoint(Integer.parseInt(in.substring(i, i + n), 16));
                        i += n;
                    }
                    default -> {
                        if (e >= '0' && e <= '7' && i + 2 <= in.length()) {
                            bytes.write(Integer.parseInt(in.substring(i - 1, i + 2), 8));
                            i += 2;
                        } else {
                            return null;
                        }
                    }
                }
                continue;
            }
            if (c == '\n') {
                return null;
            }
            flush(bytes, b);
            b.append(c);
            i++;
        }
        return null;
    }

    private static void flush(ByteArrayOutputStream bytes, StringBuilder b) {
        if (bytes.size() > 0) {
            b.append(new String(bytes.toByteArray(), StandardCharsets.ISO_8859_1));
            bytes.reset();
        }
    }
}
