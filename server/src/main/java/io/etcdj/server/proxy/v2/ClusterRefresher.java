package io.etcdj.server.proxy.v2;

import io.etcdj.server.config.StartupLog;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the proxy's endpoints in step with the cluster: every refresh interval it asks the known
 * peers for the members, installs their client URLs as the endpoints, and stores their peer URLs
 * in the cluster file (so a restarted proxy finds a cluster whose members all changed). A failed
 * lookup leaves the proxy with no endpoints until the next one succeeds; while it has none and
 * the interval is etcd's default or longer, it retries every second.
 */
final class ClusterRefresher implements AutoCloseable {
    /** etcd's default --proxy-refresh-interval; at or above it, an empty proxy retries each second. */
    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(30_000);
    private static final Duration EMPTY_RETRY = Duration.ofSeconds(1);

    private final PeerClusterLookup lookup;
    private final ProxyClusterFile clusterFile;
    private final ProxyEndpoints endpoints;
    private final Duration interval;
    private final StartupLog log;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "v2-proxy-refresh");
        t.setDaemon(true);
        return t;
    });
    private volatile List<String> peerUrls;

    ClusterRefresher(List<String> peerUrls, PeerClusterLookup lookup, ProxyClusterFile clusterFile,
                     ProxyEndpoints endpoints, Duration interval, StartupLog log) {
        this.peerUrls = List.copyOf(peerUrls);
        this.lookup = lookup;
        this.clusterFile = clusterFile;
        this.endpoints = endpoints;
        this.interval = interval;
        this.log = log;
    }

    /** Refreshes now, then keeps refreshing on the timer thread until closed. */
    void start() {
        refresh();
        scheduleNext();
    }

    private void scheduleNext() {
        List<ProxyEndpoints.Endpoint> found = endpoints.available();
        Duration wait = interval;
        if (interval.compareTo(DEFAULT_INTERVAL) >= 0 && found.isEmpty()) {
            wait = EMPTY_RETRY;
        }
        if (!found.isEmpty()) {
            log.log(StartupLog.Level.INFO, "httpproxy/director.go:60", "endpoints found",
                    Map.of("endpoints", found.stream().map(Object::toString).toList()));
        }
        try {
            timer.schedule(() -> {
                refresh();
                scheduleNext();
            }, Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closed) {
            // closed: no more refreshes
        }
    }

    /** One lookup: installs the members' client URLs (none when no peer answered). */
    void refresh() {
        List<String> before = peerUrls;
        PeerClusterLookup.ClusterUrls cluster;
        try {
            cluster = lookup.fetch(before);
        } catch (IOException e) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("peer-urls", before);
            f.put("error", e.getMessage());
            log.log(StartupLog.Level.WARN, "etcdmain/etcd.go:441", "failed to get cluster from remote peers", f);
            endpoints.replace(List.of());
            return;
        }
        endpoints.replace(cluster.clientUrls());
        try {
            clusterFile.write(cluster.peerUrls());
        } catch (IOException e) {
            log.log(StartupLog.Level.WARN, "etcdmain/etcd.go:456", "proxy failed to write cluster file",
                    Map.of("error", String.valueOf(e.getMessage())));
            return;
        }
        if (!cluster.peerUrls().equals(before)) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("from", before);
            f.put("to", cluster.peerUrls());
            log.log(StartupLog.Level.INFO, "etcdmain/etcd.go:473", "proxy updated peer URLs", f);
        }
        peerUrls = cluster.peerUrls();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
