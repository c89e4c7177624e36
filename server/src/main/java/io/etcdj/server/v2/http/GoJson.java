package io.etcdj.server.v2.http;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A JSON text builder that writes exactly what Go's encoding/json writes (etcd's JSON): HTML-safe
 * string escaping ({@code <} as backslash-u-003c, ...), backslash-u-00XX for other control
 * characters, U+2028/U+2029 escaped, and times in RFC 3339 with trailing zeros of the fraction removed.
 * Callers emit fields in the Go struct's order and apply omitempty themselves.
 */
public final class GoJson {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder();
    private boolean needComma;

    public GoJson beginObject() { sep(); out.append('{'); needComma = false; return this; }
    public GoJson endObject() { out.append('}'); needComma = true; return this; }
    public GoJson beginArray() { sep(); out.append('['); needComma = false; return this; }
    public GoJson endArray() { out.append(']'); needComma = true; return this; }

    public GoJson name(String name) {
        sep();
        string(out, name);
        out.append(':');
        needComma = false;
        return this;
    }

    public GoJson value(String s) { sep(); string(out, s); needComma = true; return this; }
    public GoJson value(long v) { sep(); out.append(v); needComma = true; return this; }
    public GoJson nullValue() { sep(); out.append("null"); needComma = true; return this; }
    public GoJson value(boolean v) { sep(); out.append(v); needComma = true; return this; }
    public GoJson time(Instant t) { sep(); out.append('"').append(rfc3339Nano(t)).append('"'); needComma = true; return this; }

    /** A float64 as Go's encoding/json writes it: shortest digits, plain unless tiny or huge. */
    public GoJson value(double v) { sep(); out.append(goFloat(v)); needComma = true; return this; }

    public GoJson field(String name, String v) { return name(name).value(v); }
    public GoJson field(String name, double v) { return name(name).value(v); }
    public GoJson field(String name, long v) { return name(name).value(v); }

    @Override
    public String toString() { return out.toString(); }

    private void sep() {
        if (needComma) {
            out.append(',');
            needComma = false;
        }
    }

    /** Go's time.RFC3339Nano rendering of a UTC instant. */
    static String rfc3339Nano(Instant t) {
        StringBuilder b = new StringBuilder(SECONDS.format(t));
        int nanos = t.getNano();
        if (nanos != 0) {
            String frac = String.format("%09d", nanos);
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            b.append('.').append(frac, 0, end);
        }
        return b.append('Z').toString();
    }

    static String goFloat(double v) {
        if (v == 0) {
            return "0";
        }
        double abs = Math.abs(v);
        if (abs < 1e-6 || abs >= 1e21) { // Go's 'e' form, with e-07 cleaned to e-7
            String e = Double.toString(v).replace(".0E", "E").replace("E", "e");
            return e.contains("e-") ? e : e.replace("e", "e+");
        }
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    /** {@code s} as a JSON string literal, escaped as Go's encoding/json escapes it. */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder();
        string(out, s);
        return out.toString();
    }

    /** Appends {@code s} as a Go-escaped JSON string. */
    static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '<': case '>': case '&': case '\u2028': case '\u2029':
                    unicode(out, c);
                    break;
                default:
                    if (c < 0x20) {
                        unicode(out, c);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(++i)); // a character above U+FFFF
                    } else if (Character.isSurrogate(c)) {
                        out.append("\\ufffd"); // a byte that is not UTF-8 (see GoStrings): Go writes this
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private static void unicode(StringBuilder out, char c) {
        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
    }
}
