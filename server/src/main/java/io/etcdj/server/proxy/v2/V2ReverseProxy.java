package io.etcdj.server.proxy.v2;

import io.etcdj.server.config.StartupLog;
import io.etcdj.server.v2.http.GoJson;
import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpHandler;
import io.etcdj.server.v2.http.V2HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * etcd's v2 proxy handler: every request but the proxy's own {@code /v2/config/local/proxy} is
 * sent to one of the {@link ProxyEndpoints} and the member's answer is relayed as it is (status,
 * headers, body), with etcd's CORS headers added in front as etcd's CORS wrapper adds them.
 *
 * <p>Failover: endpoints are tried in order; one that cannot be reached (refused, dial timeout, the
 * body left unread for --proxy-write-timeout, no answer within --proxy-read-timeout) is marked failed and the next is tried with the same
 * request. An answer, whatever its status, ends the search. No endpoint at all gives
 * {@code 503 {"message":"httpproxy: zero endpoints currently available"}}, none reached
 * {@code 502 {"message":"httpproxy: unable to get response from N endpoint(s)"}}.
 *
 * <p>An answer with a Content-Length is relayed whole; a chunked one (a long-poll watch) is relayed
 * chunk by chunk as it arrives, and dropped upstream once the client has gone away. Either ends
 * where a read of it waited out --proxy-read-timeout.
 */
final class V2ReverseProxy implements V2HttpHandler {
    static final String CONFIG_PATH = "/v2/config/local/proxy";
    /** Headers of one hop only (Go's httputil list), never forwarded in either direction. */
    private static final Set<String> SINGLE_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade");
    /** Headers the JDK client sets itself (or refuses), and those each side writes on its own. */
    private static final Set<String> NOT_COPIED = Set.of("content-length", "host", "expect", "date", "from",
            "via", "warning");
    private static final Duration CLIENT_GONE_CHECK = Duration.ofMillis(200);

    private final ProxyEndpoints endpoints;
    private final HttpClient http;
    private final Duration readTimeout;
    private final StartupLog log;
    private final V2ProxyMetrics metrics;
    private final Duration writeTimeout;
    /** Runs the checks for clients gone from a watch and the write timeouts of request bodies. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "v2-proxy-timer");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param readTimeout how long to wait for an answer's headers, and for each read of its body;
     *                    zero: no bound
     * @param writeTimeout how long the member may leave the request's body unread; zero: no bound
     */
    V2ReverseProxy(ProxyEndpoints endpoints, HttpClient http, Duration readTimeout, Duration writeTimeout,
                   V2ProxyMetrics metrics, StartupLog log) {
        this.writeTimeout = writeTimeout;
        this.metrics = metrics;
        this.endpoints = endpoints;
        this.http = http;
        this.readTimeout = readTimeout;
        this.log = log;
    }

    @Override
    public void handle(V2HttpExchange ex) {
        if (ex.path().equals(CONFIG_PATH)) {
            answerConfig(ex);
        } else if (ex.method().equals("OPTIONS")) {
            ex.respond(new V2HttpResponse(200)); // etcd's CORS wrapper answers preflights itself
        } else {
            forward(ex);
        }
    }

    private void answerConfig(V2HttpExchange ex) {
        if (!ex.method().equals("GET")) {
            ex.respond(V2HttpResponse.plainError(405, "Method Not Allowed").header("Allow", "GET"));
            return;
        }
        StringBuilder b = new StringBuilder("{\"endpoints\":[");
        List<ProxyEndpoints.Endpoint> eps = endpoints.available();
        for (int i = 0; i < eps.size(); i++) {
            b.append(i == 0 ? "" : ",").append(GoJson.quote(eps.get(i).url.toString()));
        }
        ex.respond(new V2HttpResponse(200).body(b.append("]}\n").toString()).sniffedText());
    }

    private void forward(V2HttpExchange ex) {
        long start = System.nanoTime();
        metrics.incoming(ex.method());
        List<ProxyEndpoints.Endpoint> candidates = endpoints.available();
        if (candidates.isEmpty()) {
            metrics.dropped(ex.method(), V2ProxyMetrics.Drop.ZERO_ENDPOINTS);
            log.log(StartupLog.Level.WARN, "httpproxy/reverse.go:105", "zero endpoints currently available", Map.of());
            ex.respond(V2HttpResponse.json(503, message("httpproxy: zero endpoints currently available")));
            return;
        }
        HttpResponse<InputStream> answer = null;
        for (ProxyEndpoints.Endpoint ep : candidates) {
            if (!ex.isOpen()) {
                return;
            }
            try {
                answer = send(ex, ep.url);
                break;
            } catch (IOException e) {
                metrics.dropped(ex.method(), V2ProxyMetrics.Drop.FAILED_SENDING_REQUEST);
                log.log(StartupLog.Level.WARN, "httpproxy/reverse.go:150", "failed to direct request",
                        Map.of("url", ep.url.toString(), "error", String.valueOf(e.getMessage() == null ? e : e.getMessage())));
                endpoints.markFailed(ep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (answer == null) {
            String msg = "unable to get response from " + candidates.size() + " endpoint(s)";
            metrics.dropped(ex.method(), V2ProxyMetrics.Drop.FAILED_GETTING_RESPONSE);
            log.log(StartupLog.Level.WARN, "httpproxy/reverse.go:165", msg, Map.of());
            ex.respond(V2HttpResponse.json(502, message("httpproxy: " + msg)));
            return;
        }
        metrics.handled(ex.method(), answer.statusCode(), start);
        relay(ex, answer);
    }

    /** Sends {@code ex} to {@code endpoint}: the member's answer, or why it could not be had. */
    private HttpResponse<InputStream> send(V2HttpExchange ex, URI endpoint) throws IOException, InterruptedException {
        byte[] body = ex.body();
        if (body.length == 0 || writeTimeout.isZero()) {
            HttpRequest.BodyPublisher whole = body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body);
            return http.send(upstreamRequest(ex, endpoint, whole), HttpResponse.BodyHandlers.ofInputStream());
        }
        WriteTimeoutBody timed = new WriteTimeoutBody(body, writeTimeout, timer);
        CompletableFuture<HttpResponse<InputStream>> sending =
                http.sendAsync(upstreamRequest(ex, endpoint, timed), HttpResponse.BodyHandlers.ofInputStream());
        timed.timedOut().thenRun(() -> sending.cancel(true));
        try {
            return sending.get();
        } catch (CancellationException | ExecutionException e) {
            if (timed.timedOut().isDone()) { // the cancel came from the write timeout
                throw new IOException("write tcp " + endpoint.getRawAuthority() + ": " + WriteTimeoutBody.WRITE_TIMEOUT);
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            sending.cancel(true);
            throw e;
        }
    }

    private HttpRequest upstreamRequest(V2HttpExchange ex, URI endpoint, HttpRequest.BodyPublisher body) {
        String target = endpoint.getScheme() + "://" + endpoint.getRawAuthority() + ex.rawPath()
                + (ex.rawQuery().isEmpty() ? "" : "?" + ex.rawQuery());
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).method(ex.method(), body);
        if (!readTimeout.isZero()) {
            b.timeout(readTimeout);
        }
        String forwardedFor = null;
        for (Map.Entry<String, String> h : ex.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("x-forwarded-for")) {
                forwardedFor = forwardedFor == null ? h.getValue() : forwardedFor + ", " + h.getValue();
            } else if (!SINGLE_HOP.contains(name) && !NOT_COPIED.contains(name)) {
                b.header(h.getKey(), h.getValue());
            }
        }
        String ip = ex.remoteIp();
        if (!ip.isEmpty()) {
            b.header("X-Forwarded-For", forwardedFor == null ? ip : forwardedFor + ", " + ip);
        } else if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return b.build();
    }

    /** Sends the member's answer to the client: whole when its length is known, else as it streams. */
    private void relay(V2HttpExchange ex, HttpResponse<InputStream> answer) {
        V2HttpResponse out = new V2HttpResponse(answer.statusCode());
        boolean lengthKnown = false;
        for (Map.Entry<String, List<String>> h : answer.headers().map().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            lengthKnown |= name.equals("content-length");
            if (SINGLE_HOP.contains(name) || NOT_COPIED.contains(name) || name.startsWith(":")) {
                continue;
            }
            for (String v : h.getValue()) {
                out.addHeader(canonicalName(h.getKey()), v);
            }
        }
        InputStream body = answer.body();
        if (!lengthKnown && !ex.method().equals("HEAD")) {
            streamBody(ex, out, body);
            return;
        }
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        ReadDeadline deadline = new ReadDeadline(body);
        try (body) {
            byte[] buf = new byte[8192];
            for (int n; (n = deadline.read(buf)) >= 0; ) {
                whole.write(buf, 0, n);
            }
        } catch (IOException e) {
            if (!deadline.expired()) {
                ex.respond(V2HttpResponse.json(502, message("httpproxy: " + e.getMessage())));
                return;
            }
            // as etcd's: the member's status and headers, with the body read before the timeout
        }
        ex.respond(out.body(whole.toByteArray()));
    }

    /**
     * --proxy-read-timeout on an answer's body, as etcd sets a deadline before each read of the
     * member's connection: a read that gets nothing for the timeout closes the body, which ends
     * the answer (a quiet long-poll watch ends after the timeout, as through etcd's proxy).
     */
    private final class ReadDeadline {
        private final InputStream body;
        private volatile boolean expired;

        ReadDeadline(InputStream body) {
            this.body = body;
        }

        int read(byte[] buf) throws IOException {
            if (readTimeout.isZero()) {
                return body.read(buf);
            }
            ScheduledFuture<?> deadline = timer.schedule(() -> {
                expired = true;
                closeQuietly(body);
            }, readTimeout.toNanos(), TimeUnit.NANOSECONDS);
            try {
                return body.read(buf);
            } finally {
                deadline.cancel(false);
            }
        }

        boolean expired() {
            return expired;
        }
    }

    /** Relays a chunked answer part by part; ends the client's answer when either side stops. */
    private void streamBody(V2HttpExchange ex, V2HttpResponse head, InputStream body) {
        ScheduledFuture<?> check = timer.scheduleWithFixedDelay(() -> {
            if (!ex.isOpen()) {
                closeQuietly(body); // ends the upstream watch of a client that left
            }
        }, CLIENT_GONE_CHECK.toMillis(), CLIENT_GONE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
        V2HttpExchange.ResponseStream stream = ex.startStream(head);
        ReadDeadline deadline = new ReadDeadline(body);
        try (body) {
            byte[] buf = new byte[8192];
            for (int n; (n = deadline.read(buf)) >= 0; ) {
                if (n > 0) {
                    stream.write(Arrays.copyOf(buf, n));
                }
            }
        } catch (IOException e) {
            // the client or the member went away mid-answer: the answer ends here
        } finally {
            check.cancel(false);
            stream.end();
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Go's textproto canonical header key: "x-etcd-index" becomes "X-Etcd-Index". */
    static String canonicalName(String name) {
        StringBuilder b = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            b.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return b.toString();
    }

    private static String message(String text) {
        return "{\"message\":" + GoJson.quote(text) + "}";
    }

    void close() {
        timer.shutdownNow();
    }
}
