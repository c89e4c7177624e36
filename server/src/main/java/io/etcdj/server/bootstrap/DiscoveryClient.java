package io.etcdj.server.bootstrap;

import io.etcdj.server.v2.http.MiniJson;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The v2 keys requests the discovery protocol makes against one discovery URL (a v2 keys
 * directory on any etcd serving the v2 API), optionally through an HTTP proxy.
 *
 * <p>Failures come in two kinds: {@link IOException} when the service could not be reached or
 * did not answer in time (the protocol retries those), and {@link DiscoveryException} when it
 * answered with an error (v2 errors carry etcd's client text "code: message (cause) [index]")
 * or with something that is not a v2 answer ("discovery: bad discovery endpoint").
 */
final class DiscoveryClient {
    /** etcd's v2 error code for "Key already exists". */
    static final int NODE_EXIST = 105;
    /** Bound on every request but a watch (etcd's client default request timeout). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** The directory listing: registrations in createdIndex order, and the store index it was read at. */
    record Listing(List<DiscoveryRegistration> registrations, long etcdIndex) {}

    private final URI directory;
    private final HttpClient http;

    /**
     * @param discoveryUrl the directory, e.g. {@code http://127.0.0.1:2379/v2/keys/discovery/<uuid>}
     * @param proxyUrl     an HTTP proxy ("http://host:port") for every request, or "" for none
     */
    DiscoveryClient(String discoveryUrl, String proxyUrl) {
        String trimmed = discoveryUrl.endsWith("/") ? discoveryUrl.substring(0, discoveryUrl.length() - 1) : discoveryUrl;
        this.directory = URI.create(trimmed);
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(REQUEST_TIMEOUT);
        if (!proxyUrl.isEmpty()) {
            URI proxy = URI.create(proxyUrl.contains("://") ? proxyUrl : "http://" + proxyUrl);
            b.proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), proxy.getPort() < 0 ? 80 : proxy.getPort())));
        }
        this.http = b.build();
    }

    /** The scheme and authority of the service, as etcd names it in its logs. */
    String serviceUrl() {
        return directory.getScheme() + "://" + directory.getRawAuthority();
    }

    /** The v2 key of the discovery directory: the URL's path after "/v2/keys" ("/discovery/<token>"). */
    String directoryKey() {
        String path = directory.getPath();
        return path.startsWith("/v2/keys") ? path.substring("/v2/keys".length()) : path;
    }

    /** The raw value of {@code <dir>/_config/size}. */
    String sizeValue() throws IOException, DiscoveryException {
        Map<?, ?> node = node(send(get("/_config/size", "")));
        return node.get("value") instanceof String v ? v : "";
    }

    /** The member registrations (the {@code _config} directory left out), earliest first. */
    Listing list() throws IOException, DiscoveryException {
        HttpResponse<String> r = send(get("", ""));
        List<DiscoveryRegistration> out = new ArrayList<>();
        if (node(r).get("nodes") instanceof List<?> children) {
            for (Object child : children) {
                if (child instanceof Map<?, ?> m) {
                    DiscoveryRegistration reg = DiscoveryRegistration.fromNode(m);
                    if (!reg.isConfig()) {
                        out.add(reg);
                    }
                }
            }
        }
        out.sort(DiscoveryRegistration.BY_CREATED_INDEX);
        long index = r.headers().firstValue("X-Etcd-Index").map(Long::parseLong).orElse(0L);
        return new Listing(out, index);
    }

    /**
     * Creates {@code <dir>/<name>} only if absent (PUT prevExist=false); returns the new node.
     * An existing node fails with reason DUPLICATE_ID and etcd's "discovery: found duplicate id".
     */
    DiscoveryRegistration create(String name, String value) throws IOException, DiscoveryException {
        HttpRequest req = request("/" + name, "?prevExist=false", REQUEST_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("value=" + URLEncoder.encode(value, StandardCharsets.UTF_8)))
                .build();
        try {
            return DiscoveryRegistration.fromNode(node(send(req)));
        } catch (DiscoveryException e) {
            if (e.v2ErrorCode() == NODE_EXIST) {
                throw new DiscoveryException(DiscoveryException.Reason.DUPLICATE_ID, DiscoveryException.DUPLICATE_ID_TEXT);
            }
            throw e;
        }
    }

    /**
     * Waits (no time bound) for the first change at index {@code afterIndex + 1} or later under
     * {@code <dir>/<sub>} (recursively) and returns the changed node.
     */
    DiscoveryRegistration awaitChange(String sub, long afterIndex) throws IOException, DiscoveryException {
        HttpRequest req = request(sub, "?wait=true&recursive=true&waitIndex=" + (afterIndex + 1), null).GET().build();
        return DiscoveryRegistration.fromNode(node(send(req)));
    }

    private HttpRequest get(String sub, String query) {
        return request(sub, query, REQUEST_TIMEOUT).GET().build();
    }

    private HttpRequest.Builder request(String sub, String query, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(directory + sub + query));
        return timeout == null ? b : b.timeout(timeout);
    }

    private HttpResponse<String> send(HttpRequest req) throws IOException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while talking to the discovery service", e);
        }
    }

    /** The "node" of a successful answer; an error answer becomes its v2 error text. */
    private static Map<?, ?> node(HttpResponse<String> r) throws DiscoveryException {
        Object doc;
        try {
            doc = new MiniJson(r.body()).parseDocument();
        } catch (MiniJson.SyntaxError e) {
            throw badEndpoint();
        }
        if (!(doc instanceof Map<?, ?> m)) {
            throw badEndpoint();
        }
        if (r.statusCode() / 100 != 2 || m.containsKey("errorCode")) {
            if (!(m.get("errorCode") instanceof Number code)) {
                throw badEndpoint();
            }
            String text = code.intValue() + ": " + str(m.get("message")) + " (" + str(m.get("cause")) + ") ["
                    + (m.get("index") instanceof Number n ? n.longValue() : 0) + "]";
            throw new DiscoveryException(DiscoveryException.Reason.OTHER, text, code.intValue());
        }
        if (!(m.get("node") instanceof Map<?, ?> node)) {
            throw badEndpoint();
        }
        return node;
    }

    private static String str(Object o) {
        return o instanceof String s ? s : "";
    }

    private static DiscoveryException badEndpoint() {
        return DiscoveryException.other("discovery: bad discovery endpoint");
    }
}
