package io.etcdj.server;

import io.etcdj.testsupport.ReferenceEtcd;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * Test fixture: an etcd discovery service — a one-member etcdj with --enable-v2, or the reference
 * etcd 3.4.23 with --enable-v2 as a process — and the curl-like requests an operator makes
 * against it (create a token with its size, look at it).
 */
final class DiscoveryService implements AutoCloseable {
    private final AutoCloseable service;
    private final String clientUrl;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final HttpClient http = HTTP;

    private DiscoveryService(AutoCloseable service, String clientUrl) {
        this.service = service;
        this.clientUrl = clientUrl;
    }

    /** Ours: one etcdj member with the v2 API on its client port. */
    static DiscoveryService start(Path root) {
        EtcdCluster c = EtcdCluster.start(root, 1, 10_000, 5_000, s -> s.withEnableV2(true));
        c.awaitLeader(Duration.ofSeconds(10));
        return new DiscoveryService(c, c.member(0).settings().listenClientUrls().get(0));
    }

    /** The reference: /usr/bin/etcd 3.4.23 --enable-v2 on 127.0.0.1 (the test fails if it is missing). */
    static DiscoveryService startReference(Path root) throws IOException {
        ReferenceEtcd etcd = ReferenceEtcd.builder().name("discovery").dir(root).dataDir(root.resolve("discovery.etcd"))
                .flags("--enable-v2").timeout(Duration.ofSeconds(30)).start();
        return new DiscoveryService(etcd, etcd.clientUrl());
    }

    /** The client URL of the service ("http://127.0.0.1:port"). */
    String clientUrl() {
        return clientUrl;
    }

    /** A fresh discovery URL {@code <client>/v2/keys/discovery/<uuid>} (no size set). */
    String newToken() {
        return clientUrl() + "/v2/keys/discovery/" + UUID.randomUUID();
    }

    /** A fresh discovery URL whose {@code _config/size} is {@code size}. */
    String newToken(int size) {
        String url = newToken();
        put(url + "/_config/size", String.valueOf(size));
        return url;
    }

    /** {@code curl -X PUT <url> -d value=<value>}; returns the body. */
    String put(String url, String value) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("value=" + URLEncoder.encode(value, StandardCharsets.UTF_8))));
    }

    /** {@code curl <url>}; returns the body. */
    String get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private String send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
