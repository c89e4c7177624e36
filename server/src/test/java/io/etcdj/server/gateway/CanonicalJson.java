package io.etcdj.server.gateway;

import io.etcdj.server.v2.http.MiniJson;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * JSON as a tree, written back with the keys of every object sorted, so two documents that differ
 * only in key order (or spacing) read the same. The value of a key named in {@code masked} is
 * replaced by {@code <masked>} at any depth: what differs between two servers by nature.
 */
public final class CanonicalJson {
    private CanonicalJson() {
    }

    /** The document parsed, or null when it is not JSON. */
    public static Object parse(String text) {
        try {
            return new MiniJson(text).parseDocument();
        } catch (MiniJson.SyntaxError notJson) {
            return null;
        }
    }

    /** Each line of a body that is one JSON document a line (a stream), canonical; anything else as it came. */
    public static String body(String body, Set<String> masked) {
        if (!body.startsWith("{") && !body.startsWith("[")) {
            return body;
        }
        StringBuilder out = new StringBuilder();
        for (String line : body.split("\n", -1)) {
            Object tree = parse(line);
            out.append(tree == null ? line : render(tree, masked)).append('\n');
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    public static String render(Object v, Set<String> masked) {
        if (v instanceof Map<?, ?> m) {
            return new TreeMap<>((Map<String, Object>) m).entrySet().stream()
                    .map(e -> quote(e.getKey()) + ":" + (masked.contains(e.getKey()) ? "<masked>" : render(e.getValue(), masked)))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        if (v instanceof List<?> l) {
            return l.stream().map(x -> render(x, masked)).collect(Collectors.joining(",", "[", "]"));
        }
        if (v instanceof String s) {
            return quote(s);
        }
        return String.valueOf(v);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
