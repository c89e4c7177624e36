package io.etcdj.server.clientport;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/** Reads boolean query parameters as Go's strconv.ParseBool would ("1", "t", "true", ...). */
final class QueryFlags {
    private QueryFlags() {}

    static boolean isTrue(String rawQuery, String name) {
        for (String part : rawQuery.split("&")) {
            int eq = part.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
                return switch (v) {
                    case "1", "t", "T", "true", "TRUE", "True" -> true;
                    default -> false;
                };
            }
        }
        return false;
    }

    /** Every value of parameter {@code name}. */
    static Set<String> values(String rawQuery, String name) {
        Set<String> out = new HashSet<>();
        for (String part : rawQuery.split("&")) {
            int eq = part.indexOf('=');
            if (eq > 0 && URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                out.add(URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
