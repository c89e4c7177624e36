package io.etcdj.server.v2.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small JSON reader for request bodies (objects, arrays, strings, numbers, booleans, null),
 * whose syntax errors read like Go's encoding/json ones. Objects become {@code Map}s, arrays
 * {@code List}s and numbers {@code Double}s. (Also read by bootstrap's discovery client.)
 */
public final class MiniJson {
    public static final class SyntaxError extends Exception {
        SyntaxError(String message) { super(message); }
    }

    private final String s;
    private int i;

    public MiniJson(String s) { this.s = s; }

    public Object parseDocument() throws SyntaxError {
        skipWs();
        if (i >= s.length()) {
            throw new SyntaxError("unexpected end of JSON input");
        }
        Object v = value();
        skipWs();
        if (i < s.length()) {
            throw new SyntaxError("invalid character " + quoteChar(s.charAt(i)) + " after top-level value");
        }
        return v;
    }

    /** The first JSON value of the text, the rest ignored (as Go's json.Decoder.Decode reads a body). */
    public Object parseFirstValue() throws SyntaxError {
        skipWs();
        if (i >= s.length()) {
            throw new SyntaxError("EOF");
        }
        return value();
    }

    static String goType(Object o) {
        if (o instanceof String) return "string";
        if (o instanceof Boolean) return "bool";
        if (o instanceof Number) return "number";
        if (o instanceof List) return "array";
        if (o instanceof Map) return "object";
        return "null";
    }

    private Object value() throws SyntaxError {
        skipWs();
        if (i >= s.length()) {
            throw new SyntaxError("unexpected end of JSON input");
        }
        char c = s.charAt(i);
        switch (c) {
            case '{': return object();
            case '[': return array();
            case '"': return string();
            case 't': return literal("true", Boolean.TRUE);
            case 'f': return literal("false", Boolean.FALSE);
            case 'n': return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    int start = i;
                    while (i < s.length() && "+-.eE0123456789".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    return Double.parseDouble(s.substring(start, i));
                }
                throw new SyntaxError("invalid character " + quoteChar(c) + " looking for beginning of value");
        }
    }

    private Object literal(String word, Object v) throws SyntaxError {
        for (int k = 0; k < word.length(); k++, i++) {
            if (i >= s.length()) {
                throw new SyntaxError("unexpected end of JSON input");
            }
            if (s.charAt(i) != word.charAt(k)) {
                throw new SyntaxError("invalid character " + quoteChar(s.charAt(i)) + " in literal " + word
                        + " (expecting " + quoteChar(word.charAt(k)) + ")");
            }
        }
        return v;
    }

    private Map<String, Object> object() throws SyntaxError {
        Map<String, Object> m = new LinkedHashMap<>();
        i++;
        skipWs();
        if (peek() == '}') {
            i++;
            return m;
        }
        while (true) {
            skipWs();
            if (peek() != '"') {
                throw unexpected("looking for beginning of object key string");
            }
            String k = string();
            skipWs();
            if (peek() != ':') {
                throw unexpected("after object key");
            }
            i++;
            m.put(k, value());
            skipWs();
            char c = peek();
            i++;
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                i--;
                throw unexpected("after object key:value pair");
            }
        }
    }

    private List<Object> array() throws SyntaxError {
        List<Object> l = new ArrayList<>();
        i++;
        skipWs();
        if (peek() == ']') {
            i++;
            return l;
        }
        while (true) {
            l.add(value());
            skipWs();
            char c = peek();
            i++;
            if (c == ']') {
                return l;
            }
            if (c != ',') {
                i--;
                throw unexpected("after array element");
            }
        }
    }

    private String string() throws SyntaxError {
        StringBuilder b = new StringBuilder();
        i++;
        while (true) {
            if (i >= s.length()) {
                throw new SyntaxError("unexpected end of JSON input");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c == '\\') {
                if (i >= s.length()) {
                    throw new SyntaxError("unexpected end of JSON input");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u':
                        if (i + 4 > s.length()) {
                            throw new SyntaxError("unexpected end of JSON input");
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                        break;
                    default: b.append(e);
                }
            } else {
                b.append(c);
            }
        }
    }

    private SyntaxError unexpected(String context) {
        if (i >= s.length()) {
            return new SyntaxError("unexpected end of JSON input");
        }
        return new SyntaxError("invalid character " + quoteChar(s.charAt(i)) + " " + context);
    }

    private char peek() { return i < s.length() ? s.charAt(i) : '\0'; }

    private void skipWs() {
        while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
    }

    private static String quoteChar(char c) {
        if (c == '\'') return "'\\''";
        if (c == '"') return "'\"'";
        if (c < 0x20) return "'\\x" + String.format("%02x", (int) c) + "'";
        return "'" + c + "'";
    }
}
