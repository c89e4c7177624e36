package io.etcdj.server.proxy.v2;

import io.etcdj.server.config.StartupLog;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The client URLs the v2 proxy forwards to (etcd's httpproxy director). {@link #replace} installs
 * a fresh list, shuffled so that proxies do not all pile onto the first member, with every
 * endpoint available; {@link #markFailed} takes one out of {@link #available} for the failure
 * wait (--proxy-failure-wait), after which it is offered again.
 *
 * <p>Invariant: an endpoint is available exactly when {@code now >= availableAtNanos}. Time comes
 * from the injected clock, so tests decide when a failed endpoint returns.
 */
final class ProxyEndpoints {
    /** One upstream client URL and when it may be tried again. */
    static final class Endpoint {
        final URI url;
        private volatile long availableAtNanos;

        Endpoint(URI url, long availableAtNanos) {
            this.url = url;
            this.availableAtNanos = availableAtNanos;
        }

        @Override
        public String toString() {
            return url.toString();
        }
    }

    private final Duration failureWait;
    private final LongSupplier nanoClock;
    private final Random shuffle;
    private final StartupLog log;
    private List<Endpoint> endpoints = List.of();

    ProxyEndpoints(Duration failureWait, LongSupplier nanoClock, Random shuffle, StartupLog log) {
        this.failureWait = failureWait;
        this.nanoClock = nanoClock;
        this.shuffle = shuffle;
        this.log = log;
    }

    /** Replaces the endpoints with {@code urls} (all available), in a shuffled order. */
    synchronized void replace(List<String> urls) {
        List<Endpoint> fresh = new ArrayList<>();
        long now = nanoClock.getAsLong();
        for (String u : urls) {
            try {
                URI uri = new URI(u);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new URISyntaxException(u, "no scheme or host");
                }
                fresh.add(new Endpoint(uri, now));
            } catch (URISyntaxException e) {
                log.log(StartupLog.Level.INFO, "httpproxy/director.go:80", "upstream URL invalid",
                        Map.of("url", u, "error", e.getMessage()));
            }
        }
        Collections.shuffle(fresh, shuffle);
        endpoints = List.copyOf(fresh);
    }

    /** The endpoints not waiting out a failure, in the order requests try them. */
    synchronized List<Endpoint> available() {
        long now = nanoClock.getAsLong();
        return endpoints.stream().filter(e -> now - e.availableAtNanos >= 0).toList();
    }

    /** Every endpoint, available or not (the proxy's config endpoint lists only available ones). */
    synchronized List<Endpoint> all() {
        return endpoints;
    }

    /** Takes {@code e} out of rotation until the failure wait has passed. */
    void markFailed(Endpoint e) {
        e.availableAtNanos = nanoClock.getAsLong() + failureWait.toNanos();
        log.log(StartupLog.Level.INFO, "httpproxy/director.go:154", "marked endpoint unavailable",
                Map.of("endpoint", e.url.toString()));
    }
}
