package io.etcdj.server.grpcgo;

/** Go's {@code %q} of a string (ASCII control characters escaped as Go escapes them). */
public final class GoQuote {
    /** Go's one-letter escapes of the characters 7 to 13. */
    private static final String LETTER_ESCAPES = "abtnvfr";

    private GoQuote() {
    }

    /** Double-quoted: '"' and '\' escaped with '\', control characters as \n, \t, ... or \xNN. */
    public static String of(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c >= 7 && c <= 13) {
                out.append('\\').append(LETTER_ESCAPES.charAt(c - 7));
            } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
