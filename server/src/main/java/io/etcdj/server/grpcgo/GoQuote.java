package io.etcdj.server.grpcgo;

/** Go's {@code %q} of a string, as grpc-go puts header values and paths into its texts. */
final class GoQuote {
    private GoQuote() {
    }

    /** Double-quoted, with Go's escapes for quotes, backslashes and control characters. */
    static String of(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
