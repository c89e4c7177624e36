package io.etcdj.server.gateway;

import java.util.List;
import java.util.Map;

/**
 * The values {@link GoJsonDecoder} produces: objects are {@code java.util.LinkedHashMap<String,
 * Object>} (a repeated key keeps its last value, as Go's map decoding does), arrays are
 * {@code java.util.List<Object>}, booleans are {@link Boolean}, and the three kinds below.
 * Strings and numbers keep their raw source text because Go's jsonpb reinterprets it (a quoted
 * 64-bit integer is parsed by stripping the quotes from the raw text, not by unescaping).
 */
final class JsonTree {
    private JsonTree() {
    }

    /** A JSON string: its decoded value and its raw text between the quotes. */
    record Str(String value, String raw) {
    }

    /** A JSON number, as written. */
    record Num(String literal) {
    }

    /** JSON null. */
    enum Null { NULL }

    /** The word Go's json errors use for a value's kind ("object", "array", "string", ...). */
    static String kind(Object v) {
        if (v instanceof Map) {
            return "object";
        } else if (v instanceof List) {
            return "array";
        } else if (v instanceof Str) {
            return "string";
        } else if (v instanceof Num) {
            return "number";
        } else if (v instanceof Boolean) {
            return "bool";
        }
        return "null";
    }
}
