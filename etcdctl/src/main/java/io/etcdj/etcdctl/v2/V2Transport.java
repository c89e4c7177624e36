package io.etcdj.etcdctl.v2;

import io.etcdj.etcdctl.print.GoQuote;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Sends one v2 request to the endpoints in order until one answers with any HTTP status, as Go's
 * httpClusterClient does; when none answers, a {@link ClusterError} lists each one's failure.
 * {@code timeoutNanos} bounds connecting and the wait for headers of each attempt.
 */
final class V2Transport {
    /** A reply: status, body and the X-Etcd-Index header (0 when absent). */
    record Reply(int status, String body, long etcdIndex) {}

    private final HttpClient http;
    private final long timeoutNanos;
    private List<String> endpoints;
    /** Where --debug prints each request as a cURL command line; null without --debug. */
    private PrintStream debug;
    /** The Authorization header value, null without --username. */
    private String basicAuth;

    V2Transport(List<String> endpoints, long timeoutNanos) {
        this(endpoints, timeoutNanos, null);
    }

    /** {@code tls} null: the JVM's default TLS settings for https endpoints. */
    V2Transport(List<String> endpoints, long timeoutNanos, SSLContext tls) {
        this.endpoints = List.copyOf(endpoints);
        this.timeoutNanos = timeoutNanos;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofNanos(timeoutNanos))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            b.sslContext(tls);
        }
        // TLS 1.2: a server refusing our client certificate then says so inside the handshake; under 1.3
        // the refusal comes after it and the JDK's client often sees only a dropped connection
        SSLParameters params = new SSLParameters();
        params.setProtocols(new String[] {"TLSv1.2"});
        b.sslParameters(params);
        this.http = b.build();
    }

    /** Sends HTTP basic credentials with every request (--username). */
    void authorize(String user, String password) {
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    void debugTo(PrintStream err) {
        this.debug = err;
    }

    List<String> endpoints() {
        return endpoints;
    }

    void useEndpoints(List<String> eps) {
        this.endpoints = List.copyOf(eps);
    }

    Reply send(String method, String pathAndQuery, String form, Duration waitLimit) throws ClusterError {
        return send(method, pathAndQuery, form, "application/x-www-form-urlencoded", waitLimit);
    }

    Reply sendJson(String method, String path, String json, Duration waitLimit) throws ClusterError {
        return send(method, path, json, "application/json", waitLimit);
    }

    /** {@code pathAndQuery} starts with "/"; {@code body} is null for requests without one. */
    private Reply send(String method, String pathAndQuery, String form, String contentType, Duration waitLimit)
            throws ClusterError {
        List<String> errors = new ArrayList<>();
        for (String ep : endpoints) {
            String base = ep.endsWith("/") ? ep.substring(0, ep.length() - 1) : ep;
            HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(base + pathAndQuery));
            if (debug != null) {
                debug.print("cURL Command: curl -X " + method + " " + base + pathAndQuery
                        + (form == null ? "" : " -d " + GoQuote.quote(form)) + "\n");
            }
            if (waitLimit != null) {
                rb.timeout(waitLimit);
            }
            if (basicAuth != null) {
                rb.header("Authorization", basicAuth);
            }
            if (form != null) {
                rb.header("Content-Type", contentType)
                        .method(method, HttpRequest.BodyPublishers.ofString(form));
            } else {
                rb.method(method, HttpRequest.BodyPublishers.noBody());
            }
            try {
                HttpResponse<String> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
                long idx = r.headers().firstValue("X-Etcd-Index").map(Long::parseLong).orElse(0L);
                return new Reply(r.statusCode(), r.body(), idx);
            } catch (HttpConnectTimeoutException e) {
                errors.add("dial tcp " + hostPort(base) + ": i/o timeout");
            } catch (HttpTimeoutException e) {
                errors.add("client: endpoint " + base + " exceeded header timeout");
            } catch (ConnectException e) {
                errors.add("dial tcp " + hostPort(base) + ": connect: connection refused");
            } catch (IOException e) {
                errors.add(ioError(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                errors.add("context canceled");
                break;
            }
        }
        throw new ClusterError(errors);
    }

    /** The text of a failed exchange; a TLS failure may surface wrapped, so the cause chain is searched. */
    private static String ioError(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException ssl) {
                return tlsError(ssl);
            }
        }
        return String.valueOf(e.getMessage());
    }

    /** Go's text for the TLS failures a v2 client meets most: a refused client certificate, an unknown CA. */
    private static String tlsError(SSLException e) {
        String m = String.valueOf(e.getMessage());
        // a server refusing the client certificate sends its alert and closes; the JDK reports either
        if (m.contains("bad_certificate") || m.contains("certificate_required")
                || m.contains("Remote host terminated the handshake")) {
            return "remote error: tls: bad certificate";
        }
        if (m.contains("PKIX path") || m.contains("unable to find valid certification path")) {
            return "x509: certificate signed by unknown authority";
        }
        return m;
    }

    Duration perRequestTimeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    static String hostPort(String url) {
        URI u = URI.create(url);
        int port = u.getPort() >= 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
        return u.getHost() + ":" + port;
    }
}
