package io.etcdj.server.v2.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A response as the handlers produce it, independent of the transport. Headers set by the handler
 * are written sorted by name (as Go's net/http does), then Date, then Content-Length (full bodies)
 * or Transfer-Encoding (streams), then the sniffed Content-Type when {@code sniffedText} is set.
 */
public final class V2HttpResponse {
    /** etcd's CORS headers admitting {@code origin}, in the order Go writes them (sorted by name). */
    public static List<Map.Entry<String, String>> corsHeaders(String origin) {
        return List.of(
                Map.entry("Access-Control-Allow-Headers", "accept, content-type, authorization"),
                Map.entry("Access-Control-Allow-Methods", "POST, GET, OPTIONS, PUT, DELETE"),
                Map.entry("Access-Control-Allow-Origin", origin));
    }

    /** The CORS headers sent on every client-port response (default --cors="*"). */
    static final List<Map.Entry<String, String>> CORS = corsHeaders("*");

    private final int status;
    /** Whether the constructor put etcd's default CORS headers ("*") in, each as its name's first value. */
    private final boolean defaultCors;
    /** Header name to its values in the order added (more than one only through {@link #addHeader}). */
    private final TreeMap<String, List<String>> headers = new TreeMap<>();
    private byte[] body = new byte[0];
    private boolean sniffedText;

    public V2HttpResponse(int status) {
        this(status, true);
    }

    private V2HttpResponse(int status, boolean cors) {
        this.status = status;
        this.defaultCors = cors;
        if (cors) {
            CORS.forEach(e -> header(e.getKey(), e.getValue()));
        }
    }

    /** A response without the CORS headers (an answer given before etcd's CORS wrapper runs). */
    public static V2HttpResponse withoutCors(int status) {
        return new V2HttpResponse(status, false);
    }

    public int status() { return status; }

    /**
     * With a {@code --cors} list other than "*": the default CORS headers this response was made with
     * become those admitting {@code origin}, or go when it is empty. Values added after them (the
     * member's own, relayed by a proxy) stay. A response made without CORS headers is left alone.
     */
    public V2HttpResponse admitting(Optional<String> origin) {
        if (!defaultCors) {
            return this;
        }
        List<Map.Entry<String, String>> admitted = origin.map(V2HttpResponse::corsHeaders).orElse(List.of());
        for (int i = 0; i < CORS.size(); i++) {
            String name = CORS.get(i).getKey();
            List<String> values = headers.get(name);
            if (values != null && !values.isEmpty()) {
                values.remove(0);
            }
            if (!admitted.isEmpty()) {
                headers.computeIfAbsent(name, n -> new ArrayList<>()).add(0, admitted.get(i).getValue());
            } else if (values != null && values.isEmpty()) {
                headers.remove(name);
            }
        }
        return this;
    }

    public V2HttpResponse header(String name, String value) {
        headers.put(name, new ArrayList<>(List.of(value)));
        return this;
    }

    /** Adds one more value of {@code name} (Go's Header.Add): each value goes out as its own line. */
    public V2HttpResponse addHeader(String name, String value) {
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    /** Sets the body bytes as they are. */
    public V2HttpResponse body(byte[] bytes) {
        this.body = bytes;
        return this;
    }

    public V2HttpResponse body(String text) {
        this.body = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** Marks the body as one Go would sniff as "text/plain; charset=utf-8" (no explicit Content-Type). */
    public V2HttpResponse sniffedText() {
        this.sniffedText = true;
        return this;
    }

    public byte[] body() { return body; }

    public boolean isSniffedText() { return sniffedText; }

    /** Handler-set headers in wire order (sorted by name). */
    public List<Map.Entry<String, String>> headers() {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        headers.forEach((name, values) -> values.forEach(v -> out.add(Map.entry(name, v))));
        return out;
    }

    /** Go's http.Error: text/plain, nosniff, message plus newline. */
    public static V2HttpResponse plainError(int status, String message) {
        return new V2HttpResponse(status)
                .header("Content-Type", "text/plain; charset=utf-8")
                .header("X-Content-Type-Options", "nosniff")
                .body(message + "\n");
    }

    public static V2HttpResponse json(int status, String json) {
        return new V2HttpResponse(status).header("Content-Type", "application/json").body(json);
    }
}
