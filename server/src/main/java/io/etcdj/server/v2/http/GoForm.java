package io.etcdj.server.v2.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request form values with Go's net/http semantics: body values (urlencoded PUT/POST/PATCH)
 * come before query values, {@link #get} returns the first value, and {@link #has} tells a present
 * empty value from an absent one.
 */
final class GoForm {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    /** Go's url.ParseQuery error text, thrown for a malformed escape or a semicolon. */
    static final class FormException extends Exception {
        FormException(String message) { super(message); }
    }

    static GoForm parse(V2HttpExchange ex) throws FormException {
        GoForm f = new GoForm();
        String m = ex.method();
        String ct = ex.header("Content-Type");
        if ((m.equals("POST") || m.equals("PUT") || m.equals("PATCH")) && ct != null
                && mediaType(ct).equals("application/x-www-form-urlencoded")) {
            f.addAll(new String(ex.body(), StandardCharsets.ISO_8859_1)); // one char a byte, as the query
        }
        f.addAll(ex.rawQuery());
        return f;
    }

    static String mediaType(String contentType) {
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase();
    }

    private void addAll(String query) throws FormException {
        if (query == null || query.isEmpty()) {
            return;
        }
        FormException first = null;
        for (String part : query.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.contains(";")) {
                first = first != null ? first : new FormException("invalid semicolon separator in query");
                continue;
            }
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            try {
                k = unescape(k);
                v = unescape(v);
            } catch (FormException e) {
                first = first != null ? first : e;
                continue;
            }
            values.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        if (first != null) {
            throw first;
        }
    }

    /** Go's url.QueryUnescape of {@code s} (one char a byte, see {@link RequestTargetBytes}). */
    static String unescape(String s) throws FormException {
        return RequestTargetBytes.unescape(s, true);
    }

    boolean has(String key) { return values.containsKey(key); }

    /** The first value, or "" when absent. */
    String get(String key) {
        List<String> l = values.get(key);
        return l == null || l.isEmpty() ? "" : l.get(0);
    }

    /** Go's strconv.ParseBool on the first value; false when absent. */
    boolean getBool(String key) {
        if (!has(key)) {
            return false;
        }
        switch (get(key)) {
            case "1": case "t": case "T": case "TRUE": case "true": case "True": return true;
            case "0": case "f": case "F": case "FALSE": case "false": case "False": return false;
            default: throw new NumberFormatException(key);
        }
    }

    /** Go's strconv.ParseUint(v, 10, 64) on the first value; 0 when absent. */
    long getUint64(String key) {
        if (!has(key)) {
            return 0;
        }
        String v = get(key);
        if (v.isEmpty() || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new NumberFormatException(key);
        }
        return Long.parseUnsignedLong(v);
    }
}
