package io.etcdj.etcdctl.v2;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The /v2/keys requests etcdctl makes (client.KeysAPI): query parameters and form fields as the Go
 * client sends them; 200/201 replies decode to a {@link KeysResponse}, others to a {@link ServerError}.
 */
final class KeysApi {
    private final V2Transport transport;
    private final Duration limit;

    /** {@code limit} bounds each call (--total-timeout); null for watches, which wait indefinitely. */
    KeysApi(V2Transport transport, Duration limit) {
        this.transport = transport;
        this.limit = limit;
    }

    KeysResponse get(String key, boolean recursive, boolean sorted, boolean quorum) throws ClusterError, ServerError {
        Map<String, String> q = new TreeMap<>();
        q.put("recursive", String.valueOf(recursive));
        q.put("sorted", String.valueOf(sorted));
        q.put("quorum", String.valueOf(quorum));
        return call("GET", key, q, null, limit);
    }

    /** prevExist is "", "true" or "false" (PrevIgnore, PrevExist, PrevNoExist). */
    KeysResponse set(String key, String value, long ttlSeconds, String prevValue, long prevIndex, String prevExist,
                     boolean dir) throws ClusterError, ServerError {
        Map<String, String> q = new TreeMap<>();
        Map<String, String> form = new TreeMap<>();
        if (dir) {
            q.put("dir", "true");
        } else {
            if (!prevValue.isEmpty()) {
                q.put("prevValue", prevValue);
            }
            form.put("value", value);
        }
        if (prevIndex != 0) {
            q.put("prevIndex", Long.toString(prevIndex));
        }
        if (!prevExist.isEmpty()) {
            q.put("prevExist", prevExist);
        }
        if (ttlSeconds > 0) {
            form.put("ttl", Long.toString(ttlSeconds));
        }
        return call("PUT", key, q, encode(form), limit);
    }

    KeysResponse createInOrder(String dir, String value, long ttlSeconds) throws ClusterError, ServerError {
        Map<String, String> form = new TreeMap<>();
        form.put("value", value);
        if (ttlSeconds > 0) {
            form.put("ttl", Long.toString(ttlSeconds));
        }
        return call("POST", dir, Map.of(), encode(form), limit);
    }

    KeysResponse delete(String key, String prevValue, long prevIndex, boolean dir, boolean recursive)
            throws ClusterError, ServerError {
        Map<String, String> q = new TreeMap<>();
        if (!prevValue.isEmpty()) {
            q.put("prevValue", prevValue);
        }
        if (prevIndex != 0) {
            q.put("prevIndex", Long.toString(prevIndex));
        }
        if (dir) {
            q.put("dir", "true");
        }
        if (recursive) {
            q.put("recursive", "true");
        }
        return call("DELETE", key, q, null, limit);
    }

    /**
     * One long poll: the first change at or after {@code waitIndex} (0: the next one), or null when
     * the server ended the poll with an empty body (then the caller polls again).
     */
    KeysResponse watchOnce(String key, boolean recursive, long waitIndex) throws ClusterError, ServerError {
        Map<String, String> q = new TreeMap<>();
        q.put("wait", "true");
        if (recursive) {
            q.put("recursive", "true");
        }
        if (waitIndex > 0) {
            q.put("waitIndex", Long.toString(waitIndex));
        }
        return call("GET", key, q, null, null);
    }

    private KeysResponse call(String method, String key, Map<String, String> query, String form, Duration wait)
            throws ClusterError, ServerError {
        String qs = encode(query);
        V2Transport.Reply r = transport.send(method, keyPath(key) + (qs.isEmpty() ? "" : "?" + qs), form, wait);
        if (r.status() == 200 || r.status() == 201) {
            return r.body().isEmpty() ? null : KeysResponse.from(r.body(), r.etcdIndex());
        }
        throw ServerError.from(r.body());
    }

    /** "/v2/keys" joined with the key and cleaned as Go's path.Join, then escaped. */
    static String keyPath(String key) {
        StringBuilder clean = new StringBuilder("/v2/keys");
        for (String seg : key.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                int cut = clean.lastIndexOf("/");
                if (cut > "/v2/keys".length() - 1 + 1) {
                    clean.setLength(cut);
                }
                continue;
            }
            clean.append('/').append(seg);
        }
        try {
            return new URI(null, null, clean.toString(), null).getRawPath();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Go's url.QueryEscape: only A-Z a-z 0-9 - _ . ~ stay, a space becomes "+". */
    private static String queryEscape(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
    }

    private static String encode(Map<String, String> m) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(m).entrySet()) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(queryEscape(e.getKey())).append('=').append(queryEscape(e.getValue()));
        }
        return b.toString();
    }
}
