package io.etcdj.server;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Test helper: curl-like HTTP/1.1 requests to a v2 endpoint (a proxy or a member). */
final class V2ProxyClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    V2ProxyClient(String base) {
        this.base = base;
    }

    /** {@code curl -X METHOD base+path [-d body]} (form-encoded body when given). */
    HttpResponse<String> send(String method, String path, String formBody) {
        return sendFrom(null, method, path, formBody);
    }

    /** {@link #send}, with {@code -H "Origin: ORIGIN"} unless {@code origin} is null. */
    HttpResponse<String> sendFrom(String origin, String method, String path, String formBody) {
        HttpRequest.Builder b = request(method, path, formBody).timeout(Duration.ofSeconds(15));
        if (origin != null) {
            b.header("Origin", origin);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    /** {@code curl -X PUT base/v2/keys/KEY -d value=VALUE}. */
    HttpResponse<String> putKey(String key, String value) {
        return send("PUT", "/v2/keys/" + key, "value=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    /** A request left waiting for its answer (a long-poll watch), bounded to 30 s. */
    CompletableFuture<HttpResponse<String>> sendAsync(String method, String path) {
        return HTTP.sendAsync(request(method, path, null).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String method, String path, String formBody) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (formBody == null) {
            return b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.header("Content-Type", "application/x-www-form-urlencoded")
                .method(method, HttpRequest.BodyPublishers.ofString(formBody));
    }
}
