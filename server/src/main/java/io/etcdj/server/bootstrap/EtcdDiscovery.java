package io.etcdj.server.bootstrap;

import io.etcdj.server.config.GoDuration;
import io.etcdj.server.config.InitialCluster;
import io.etcdj.server.config.StartupLog;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * etcd's v2 discovery protocol, as one member joining through a discovery URL runs it:
 * <ol>
 *   <li>read the wanted size ({@code <url>/_config/size}) and the registrations; if {@code size}
 *       members are already registered, the cluster is full and this member does not register;</li>
 *   <li>register: create {@code <url>/<memberIdHex>} (only if absent) holding this member's
 *       initial-cluster text, and wait until the service shows it;</li>
 *   <li>read size and registrations again; if this member is not among the first {@code size}
 *       by createdIndex, the cluster is full;</li>
 *   <li>watch the directory until {@code size} registrations exist, and return their values
 *       joined with "," — the initial cluster every member of the new cluster computes alike,
 *       because all of them rank the same registrations by the same createdIndex.</li>
 * </ol>
 * Steps 1, 3 and 4 are retried (with {@link DiscoveryRetry}'s back-off) while the service is
 * unreachable; an error answer ends the protocol at once.
 */
public final class EtcdDiscovery {
    /** What the size and registrations said at one moment. */
    private record ClusterView(List<DiscoveryRegistration> registrations, long size, long etcdIndex) {}

    private final DiscoveryClient client;
    private final String selfName;
    private final DiscoveryRetry retry;
    private final StartupLog log;
    private int retries;
    /** The v2 key of the discovery directory ("/discovery/<token>"), known once registered. */
    private String directoryKey = "";

    /**
     * @param discoveryUrl the v2 keys directory of this cluster's discovery token
     * @param proxyUrl     the HTTP proxy for the service, or ""
     * @param memberId     this member's ID (derived with the discovery URL as cluster token)
     */
    public EtcdDiscovery(String discoveryUrl, String proxyUrl, long memberId, DiscoveryRetry retry, StartupLog log) {
        this.client = new DiscoveryClient(discoveryUrl, proxyUrl);
        this.selfName = Long.toHexString(memberId);
        this.retry = retry;
        this.log = log;
    }

    /**
     * Runs the protocol; returns the initial cluster text ("name=url,name=url,...").
     *
     * @param selfConfig this member's own initial-cluster text ("name=peerURL[,...]")
     */
    public String joinCluster(String selfConfig) throws DiscoveryException {
        retrying("cluster", () -> checkCluster(false)); // fast path: full before registering
        register(selfConfig);
        ClusterView view = retrying("cluster", () -> checkCluster(true));
        List<DiscoveryRegistration> all = waitForAll(view);
        return toClusterText(all, view.size());
    }

    /**
     * The cluster the token assembles, read without registering (what a v2 proxy started with
     * --discovery asks, etcd's GetCluster): the first {@code size} registrations once there are
     * that many, waiting for them if there are fewer.
     */
    public String readCluster() throws DiscoveryException {
        ClusterView view = retrying("cluster", this::listCluster);
        if (view.registrations().size() >= view.size()) {
            return toClusterText(view.registrations().subList(0, (int) view.size()), view.size());
        }
        directoryKey = client.directoryKey();
        return toClusterText(waitForAll(view), view.size());
    }

    private void register(String selfConfig) throws DiscoveryException {
        try {
            DiscoveryRegistration created = client.create(selfName, selfConfig);
            directoryKey = parentKey(created);
            client.awaitChange("/" + selfName, created.createdIndex() - 1); // visible on the server asked
        } catch (IOException e) {
            throw DiscoveryException.other(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /**
     * The size and the registrations in createdIndex order; fails with "cluster is full" when
     * this member cannot be among the first {@code size} ({@code registered}: whether this
     * member has registered yet).
     */
    private ClusterView checkCluster(boolean registered) throws IOException, DiscoveryException {
        ClusterView listed = listCluster();
        long size = listed.size();
        List<DiscoveryRegistration> regs = listed.registrations();
        int limit = (int) Math.min(size, regs.size());
        boolean selfInFirst = regs.subList(0, limit).stream().anyMatch(r -> r.name().equals(selfName));
        if (!selfInFirst && regs.size() >= size) {
            throw new DiscoveryException(DiscoveryException.Reason.FULL_CLUSTER, DiscoveryException.FULL_CLUSTER_TEXT);
        }
        if (registered && !selfInFirst && regs.stream().noneMatch(r -> r.name().equals(selfName))) {
            // registered but not listed: the service lost it; etcd then waits for others regardless
            log.log(StartupLog.Level.WARN, "v2discovery/discovery.go:340", "self not found in discovery listing",
                    Map.of("discovery-url", client.serviceUrl(), "self", selfName));
        }
        return listed;
    }

    /** The wanted size and the registrations, as the service shows them now. */
    private ClusterView listCluster() throws IOException, DiscoveryException {
        long size = parseSize(client.sizeValue());
        DiscoveryClient.Listing listing = client.list();
        return new ClusterView(listing.registrations(), size, listing.etcdIndex());
    }

    /** Go's strconv.ParseUint(s, 10, 64): decimal digits only. */
    static long parseSize(String text) throws DiscoveryException {
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw DiscoveryException.other("discovery: size key is bad");
        }
        try {
            long size = Long.parseUnsignedLong(text);
            return size < 0 ? Long.MAX_VALUE : size; // beyond 2^63: no cluster gets that big anyway
        } catch (NumberFormatException e) {
            throw DiscoveryException.other("discovery: size key is bad");
        }
    }

    /** Watches the directory from the listing's index until {@code size} members registered. */
    private List<DiscoveryRegistration> waitForAll(ClusterView first) throws DiscoveryException {
        ClusterView view = first;
        while (true) {
            try {
                return waitForAllOnce(view);
            } catch (IOException e) {
                backOff("wait", e);
                view = retrying("cluster", () -> checkCluster(true));
            }
        }
    }

    private List<DiscoveryRegistration> waitForAllOnce(ClusterView view) throws IOException, DiscoveryException {
        List<DiscoveryRegistration> all = new ArrayList<>(
                view.registrations().subList(0, (int) Math.min(view.size(), view.registrations().size())));
        Set<String> seen = new LinkedHashSet<>();
        for (DiscoveryRegistration r : all) {
            seen.add(r.name());
            if (r.name().equals(selfName)) {
                log.log(StartupLog.Level.INFO, "v2discovery/discovery.go:350", "found self from discovery server",
                        fields("self", selfName));
            } else {
                log.log(StartupLog.Level.INFO, "v2discovery/discovery.go:360", "found peer from discovery server",
                        fields("peer", r.name()));
            }
        }
        long index = view.etcdIndex();
        while (all.size() < view.size()) {
            Map<String, Object> f = fields("found-peers", all.size());
            f.put("needed-peers", view.size() - all.size());
            log.log(StartupLog.Level.INFO, "v2discovery/discovery.go:374",
                    "found peers from discovery server; waiting for more", f);
            DiscoveryRegistration change = client.awaitChange("", index);
            index = Math.max(index + 1, change.modifiedIndex());
            // only a member's first registration counts: _config edits and re-writes are not new members
            if (!parentKey(change).equals(directoryKey) || change.isConfig() || !seen.add(change.name())) {
                continue;
            }
            log.log(StartupLog.Level.INFO, "v2discovery/discovery.go:392", "found peer from discovery server",
                    fields("peer", change.name()));
            all.add(change);
        }
        log.log(StartupLog.Level.INFO, "v2discovery/discovery.go:403", "found all needed peers from discovery server",
                fields("found-peers", all.size()));
        return all;
    }

    /** The key of the directory a node sits directly in. */
    private static String parentKey(DiscoveryRegistration r) {
        int slash = r.key().lastIndexOf('/');
        return slash < 0 ? "" : r.key().substring(0, slash);
    }

    /**
     * etcd's conversion of the registrations into the initial cluster text; fails with
     * "discovery: invalid URL" or, when names repeat, "discovery: found duplicate name".
     */
    static String toClusterText(List<DiscoveryRegistration> all, long size) throws DiscoveryException {
        List<String> values = new ArrayList<>();
        for (DiscoveryRegistration r : all) {
            values.add(r.value());
        }
        String text = String.join(",", values);
        Map<String, List<URI>> urls;
        try {
            urls = InitialCluster.parseUrlsMap(text);
        } catch (IllegalArgumentException e) {
            throw DiscoveryException.other("discovery: invalid URL");
        }
        if (urls.size() != size) {
            throw new DiscoveryException(DiscoveryException.Reason.DUPLICATE_NAME, "discovery: found duplicate name");
        }
        return text;
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws IOException, DiscoveryException;
    }

    private <T> T retrying(String step, Step<T> body) throws DiscoveryException {
        while (true) {
            try {
                return body.run();
            } catch (IOException e) {
                backOff(step, e);
            }
        }
    }

    /** Counts a retry and sleeps its back-off, or fails when retries are used up. */
    private void backOff(String step, IOException cause) throws DiscoveryException {
        retries++;
        if (retries > retry.maxRetries()) {
            throw new DiscoveryException(DiscoveryException.Reason.TOO_MANY_RETRIES, "discovery: too many retries");
        }
        Duration pause = retry.backoff(retries);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("url", client.serviceUrl());
        f.put("reason", step + ": " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
        f.put("backoff", GoDuration.format(pause));
        log.log(StartupLog.Level.INFO, "v2discovery/discovery.go:254", "retry connecting to discovery service", f);
        try {
            Thread.sleep(pause.toMillis()); // back-off between tries of an unreachable service
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DiscoveryException.other("discovery: interrupted");
        }
    }

    private Map<String, Object> fields(String key, Object value) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("discovery-url", client.serviceUrl());
        f.put(key, value);
        return f;
    }
}
