package io.etcdj.server.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One answer of the peer port's HTTP/1.1 side: status, headers in the order etcd sets them (Go
 * canonical spelling), body. {@link #dropConnection()} stands for a request etcd's handler panics
 * on: Go's server closes the connection without answering.
 */
record PeerHttpAnswer(int status, List<Map.Entry<String, String>> headers, byte[] body, boolean dropConnection) {
    static final String CLUSTER_ID = "X-Etcd-Cluster-Id";

    /** Go's {@code http.Error}: plain text, nosniff, the text and a newline. */
    static PeerHttpAnswer error(int status, String text, List<Map.Entry<String, String>> setBefore) {
        List<Map.Entry<String, String>> h = new ArrayList<>(setBefore);
        h.add(Map.entry("Content-Type", "text/plain; charset=utf-8"));
        h.add(Map.entry("X-Content-Type-Options", "nosniff"));
        return new PeerHttpAnswer(status, h, (text + "\n").getBytes(StandardCharsets.UTF_8), false);
    }

    static PeerHttpAnswer error(int status, String text) {
        return error(status, text, List.of());
    }

    /** etcd's 405 for a handler that names the one method it allows. */
    static PeerHttpAnswer methodNotAllowed(String allow) {
        return error(405, "Method Not Allowed", List.of(Map.entry("Allow", allow)));
    }

    /** Go's {@code http.NotFound}. */
    static PeerHttpAnswer notFound() {
        return error(404, "404 page not found");
    }

    static PeerHttpAnswer ok(String contentType, byte[] body, List<Map.Entry<String, String>> setBefore) {
        List<Map.Entry<String, String>> h = new ArrayList<>(setBefore);
        h.add(Map.entry("Content-Type", contentType));
        return new PeerHttpAnswer(200, h, body, false);
    }

    static PeerHttpAnswer json(String json, List<Map.Entry<String, String>> setBefore) {
        return ok("application/json", json.getBytes(StandardCharsets.UTF_8), setBefore);
    }

    /**
     * Go's ServeMux redirect (301) to {@code location}: an HTML link for GET, the HTML content
     * type alone for HEAD, nothing for other methods.
     */
    static PeerHttpAnswer movedPermanently(String method, String location) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        byte[] body = new byte[0];
        if (method.equals("GET") || method.equals("HEAD")) {
            h.add(Map.entry("Content-Type", "text/html; charset=utf-8"));
        }
        h.add(Map.entry("Location", location));
        if (method.equals("GET")) {
            body = ("<a href=\"" + location.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    .replace("\"", "&#34;").replace("'", "&#39;") + "\">Moved Permanently</a>.\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        return new PeerHttpAnswer(301, h, body, false);
    }

    static PeerHttpAnswer dropped() {
        return new PeerHttpAnswer(0, List.of(), new byte[0], true);
    }

    String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
