package io.etcdj.server.v2random;

import io.etcdj.server.gateway.HttpReply;
import io.etcdj.server.v2.http.MiniJson;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a curl user sees of one v2 keys answer, as text two servers' answers can be compared by:
 * the status line, Content-Type, X-Etcd-Index with its value (both stores take the same writes
 * from the same start, so their indexes stay equal), whether X-Raft-Index and X-Raft-Term are
 * there (raft indexes move with entries the v2 store never sees), and the body.
 *
 * <p>The body is Go's JSON byte for byte, with only what differs by nature masked: a TTL key's
 * {@code expiration} (the clock) and {@code ttl} (a countdown that may tick between the two
 * requests) keep their presence, not their value. An unsorted directory listing comes in Go's
 * random map order, so when the request did not ask for {@code sorted=true} the listing is
 * compared as a tree whose {@code nodes} arrays are ordered by key.
 */
public final class V2AnswerView {
    private V2AnswerView() {
    }

    /** {@code sortedRequest}: the request asked for sorted=true (order of listed nodes is then compared). */
    public static String of(HttpReply reply, boolean sortedRequest) {
        StringBuilder s = new StringBuilder(reply.statusLine()).append('\n');
        s.append("Content-Type: ").append(header(reply, "Content-Type")).append('\n');
        s.append("X-Etcd-Index: ").append(header(reply, "X-Etcd-Index")).append('\n');
        s.append("X-Raft-Index: ").append(header(reply, "X-Raft-Index") == null ? "absent" : "present").append('\n');
        s.append("X-Raft-Term: ").append(header(reply, "X-Raft-Term") == null ? "absent" : "present").append('\n');
        return s.append(body(reply.body(), sortedRequest)).toString();
    }

    static String body(String body, boolean sortedRequest) {
        String masked = body.replaceAll("\"expiration\":\"[^\"]*\"", "\"expiration\":<time>")
                .replaceAll("\"ttl\":-?[0-9]+", "\"ttl\":<ttl>");
        if (sortedRequest || !masked.contains("\"nodes\":")) {
            return masked;
        }
        try {
            return render(new MiniJson(body).parseDocument());
        } catch (MiniJson.SyntaxError notJson) {
            return masked;
        }
    }

    /** JSON with fields in the order they came, nodes ordered by key, TTL values masked. */
    @SuppressWarnings("unchecked")
    private static String render(Object v) {
        if (v instanceof Map<?, ?> m) {
            return ((Map<String, Object>) m).entrySet().stream()
                    .map(e -> quote(e.getKey()) + ":" + field(e.getKey(), e.getValue()))
                    .collect(Collectors.joining(",", "{", "}"));
        }
        if (v instanceof List<?> l) {
            return l.stream().map(V2AnswerView::render).collect(Collectors.joining(",", "[", "]"));
        }
        if (v instanceof String str) {
            return quote(str);
        }
        if (v instanceof Double d && d == Math.rint(d)) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(v);
    }

    @SuppressWarnings("unchecked")
    private static String field(String name, Object value) {
        return switch (name) {
            case "expiration" -> "<time>";
            case "ttl" -> "<ttl>";
            case "nodes" -> render(((List<Object>) value).stream()
                    .sorted(Comparator.comparing(n -> String.valueOf(((Map<String, Object>) n).get("key"))))
                    .toList());
            default -> render(value);
        };
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public static String header(HttpReply r, String name) {
        return r.headers().stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
