package io.etcdj.server.transport;

import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request to the peer port, as the router needs it.
 *
 * @param path the URL path, percent-decoded (Go's {@code r.URL.Path})
 * @param query the raw query after '?', or "" (kept on redirects)
 * @param headers header values by lower-case name (the first value of each)
 */
record PeerHttpRequest(String method, String path, String query, Map<String, String> headers, byte[] body) {
    /** A header's value, or "" when absent (Go's {@code Header.Get}). */
    String header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
    }
}
