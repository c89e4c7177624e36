package io.etcdj.server.gateway;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a sequence of JSON values from a request body the way Go's {@code json.Decoder} does, so
 * that a malformed body is rejected with Go's exact words ("unexpected EOF", "invalid character
 * 'o' in literal null (expecting 'u')", ...). Values are returned as {@link JsonTree} values.
 *
 * <p>Invariant: {@code pos} is always just after the last value returned; bytes after it are
 * only looked at by the next {@link #next()} (Go leaves trailing bytes to the next Decode call).
 */
final class GoJsonDecoder {
    /** Returned by {@link #next()} when only whitespace remains. */
    static final Object END = new Object();

    private final byte[] in;
    private int pos;

    GoJsonDecoder(byte[] body) {
        this.in = body;
    }

    /** The next value, or {@link #END}; throws with Go's message on a syntax error. */
    Object next() throws GoJsonException {
        skipSpace();
        if (pos >= in.length) {
            return END;
        }
        // Like Go's Decoder, a value ends where its syntax ends: trailing bytes (even right
        // after a number) are left for the next call.
        return value();
    }

    /**
     * The body as one whole value, as Go's json.Unmarshal reads it: anything but whitespace after
     * the value is an error, and running out of input is "unexpected end of JSON input".
     */
    Object whole() throws GoJsonException {
        Object v;
        try {
            v = next();
        } catch (GoJsonException e) {
            throw e.getMessage().equals("unexpected EOF") ? new GoJsonException("unexpected end of JSON input") : e;
        }
        if (v == END) {
            throw new GoJsonException("unexpected end of JSON input");
        }
        skipSpace();
        if (pos < in.length) {
            throw invalid(in[pos] & 0xff, "after top-level value");
        }
        return v;
    }

    private Object value() throws GoJsonException {
        int c = peek();
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return JsonTree.Null.NULL;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw invalid(c, "looking for beginning of value");
        }
    }

    private Map<String, Object> object() throws GoJsonException {
        pos++;
        Map<String, Object> m = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return m;
        }
        while (true) {
            if (peek() != '"') {
                throw invalid(peek(), "looking for beginning of object key string");
            }
            String key = string().value();
            skipSpace();
            if (peek() != ':') {
                throw invalid(peek(), "after object key");
            }
            pos++;
            skipSpace();
            Object v = value();
            m.remove(key);
            m.put(key, v);
            skipSpace();
            int c = peek();
            if (c == '}') {
                pos++;
                return m;
            }
            if (c != ',') {
                throw invalid(c, "after object key:value pair");
            }
            pos++;
            skipSpace();
        }
    }

    private List<Object> array() throws GoJsonException {
        pos++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value());
            skipSpace();
            int c = peek();
            if (c == ']') {
                pos++;
                return list;
            }
            if (c != ',') {
                throw invalid(c, "after array element");
            }
            pos++;
            skipSpace();
        }
    }

    private JsonTree.Str string() throws GoJsonException {
        int start = ++pos;
        StringBuilder out = new StringBuilder();
        int plainFrom = pos;
        while (true) {
            int c = peek();
            if (c == '"') {
                flushPlain(out, plainFrom, pos);
                String raw = new String(in, start, pos - start, StandardCharsets.UTF_8);
                pos++;
                return new JsonTree.Str(out.toString(), raw);
            }
            if (c < 0x20) {
                throw invalid(c, "in string literal");
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            flushPlain(out, plainFrom, pos);
            pos++;
            int e = peek();
            pos++;
            switch (e) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    int cp = 0;
                    for (int i = 0; i < 4; i++) {
                        int h = peek();
                        int d = Character.digit(h, 16);
                        if (d < 0) {
                            throw invalid(h, "in \\u hexadecimal character escape");
                        }
                        cp = cp * 16 + d;
                        pos++;
                    }
                    out.append((char) cp);
                }
                default -> throw invalid(e, "in string escape code");
            }
            plainFrom = pos;
        }
    }

    private void flushPlain(StringBuilder out, int from, int to) {
        if (to > from) {
            out.append(new String(in, from, to - from, StandardCharsets.UTF_8));
        }
    }

    private void literal(String word) throws GoJsonException {
        pos++;
        for (int i = 1; i < word.length(); i++) {
            int c = peek();
            if (c != word.charAt(i)) {
                throw invalid(c, "in literal " + word + " (expecting '" + word.charAt(i) + "')");
            }
            pos++;
        }
    }

    private JsonTree.Num number() throws GoJsonException {
        int start = pos;
        if (peek() == '-') {
            pos++;
            if (!isDigit(peek())) {
                throw invalid(peek(), "in numeric literal");
            }
        }
        if (peek() == '0') {
            pos++;
        } else {
            digits();
        }
        if (peekOrEnd() == '.') {
            pos++;
            if (!isDigit(peek())) {
                throw invalid(peek(), "after decimal point in numeric literal");
            }
            digits();
        }
        int e = peekOrEnd();
        if (e == 'e' || e == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw invalid(peek(), "in exponent of numeric literal");
            }
            digits();
        }
        return new JsonTree.Num(new String(in, start, pos - start, StandardCharsets.US_ASCII));
    }

    private void digits() {
        while (pos < in.length && isDigit(in[pos])) {
            pos++;
        }
    }

    /** The byte at pos; running out of input inside a value is Go's "unexpected EOF". */
    private int peek() throws GoJsonException {
        if (pos >= in.length) {
            throw new GoJsonException("unexpected EOF");
        }
        return in[pos] & 0xff;
    }

    /** The byte at pos, or -1 at the end (a number may end the input). */
    private int peekOrEnd() {
        return pos < in.length ? in[pos] & 0xff : -1;
    }

    private void skipSpace() {
        while (pos < in.length && isSpace(in[pos])) {
            pos++;
        }
    }

    private static boolean isSpace(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static GoJsonException invalid(int c, String context) {
        return new GoJsonException("invalid character " + quoteChar(c) + " " + context);
    }

    /** Go's quoteChar: the byte as a single-quoted Go literal. */
    static String quoteChar(int c) {
        if (c == '\'') {
            return "'\\''";
        }
        if (c == '"') {
            return "'\"'";
        }
        String s = switch (c) {
            case 7 -> "\\a";
            case '\b' -> "\\b";
            case '\f' -> "\\f";
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            case 11 -> "\\v";
            case '\\' -> "\\\\";
            default -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)
                    ? String.format("\\x%02x", c) : String.valueOf((char) c);
        };
        return "'" + s + "'";
    }
}
