package io.etcdj.server.bootstrap;

import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.server.config.GoDuration;
import io.etcdj.server.config.InitialCluster;
import io.etcdj.server.config.StartupLog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * etcd 3.6's v3 discovery protocol, as one member joining through a token runs it. The registry
 * lives in an ordinary etcd cluster, reached over the v3 API:
 * <ul>
 *   <li>{@code /_etcd/registry/<token>/_config/size}: the wanted cluster size (decimal, &gt; 0),
 *       written beforehand by the operator;</li>
 *   <li>{@code /_etcd/registry/<token>/members/<memberIdHex>}: one key per registered member,
 *       holding its initial-cluster text ({@code name=peerURL[,name=peerURL...]}).</li>
 * </ul>
 * Steps: check the cluster (size, then the members ranked by create revision; if {@code size}
 * others rank before this member, the cluster is full); register (put this member's key); check
 * again; watch the members prefix from the listing's revision until {@code size} members are
 * known; the initial cluster is the first {@code size} values joined with ",". Every member ranks
 * the same keys by the same create revisions, so all compute the same cluster. Unlike v2
 * discovery, registering again (after a failed start) is allowed: a put keeps the key's create
 * revision, so the member keeps its place.
 *
 * <p>A request that fails is retried after {@link DiscoveryRetry}'s back-off; a missing or bad
 * size key and a full cluster end the protocol at once, with etcd's texts.
 */
public final class V3Discovery {
    static final String REGISTRY = "/_etcd/registry";
    public static final String SIZE_NOT_FOUND_TEXT = "discovery: size key not found";
    public static final String BAD_SIZE_TEXT = "discovery: size key is bad";
    public static final String INVALID_URL_TEXT = "discovery: invalid peer URL";

    /** What the registry showed at one moment: the members in rank order, the size, the revision read at. */
    private record ClusterView(List<RegistryClient.Entry> members, int size, long revision) {}

    private final RegistryClient registry;
    private final String token;
    private final String endpoints;
    private final String selfKey;
    private final DiscoveryRetry retry;
    private final StartupLog log;
    private int retries;

    /**
     * @param memberId this member's ID (derived with the discovery token as cluster token)
     */
    V3Discovery(RegistryClient registry, V3DiscoveryConfig config, long memberId, DiscoveryRetry retry, StartupLog log) {
        this.registry = registry;
        this.token = config.token();
        this.endpoints = String.join(",", config.endpoints());
        this.selfKey = membersPrefix() + "/" + Long.toHexString(memberId);
        this.retry = retry;
        this.log = log;
    }

    /**
     * Joins through the token's registry and returns the initial cluster text
     * ("name=url,name=url,...").
     *
     * @param selfConfig this member's own initial-cluster text ("name=peerURL[,...]")
     */
    public static String joinCluster(V3DiscoveryConfig config, long memberId, String selfConfig, DiscoveryRetry retry,
                                     StartupLog log) throws DiscoveryException {
        try (RegistryClient registry = new RegistryClient(config)) {
            V3Discovery d = new V3Discovery(registry, config, memberId, retry, log);
            String cluster = "";
            try {
                registry.authenticate();
                cluster = d.join(selfConfig);
                d.log(StartupLog.Level.INFO, "v3discovery/discovery.go:146", "discovery joined cluster successfully",
                        "cluster", cluster);
                return cluster;
            } catch (DiscoveryException e) {
                Map<String, Object> f = d.fields("cluster", cluster);
                f.put("error", e.getMessage());
                log.log(StartupLog.Level.ERROR, "v3discovery/discovery.go:140", "discovery failed to join cluster", f);
                throw e;
            }
        } catch (IOException e) {
            throw DiscoveryException.other(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /**
     * The cluster a token assembles, read without registering (etcd's GetCluster; what a v2 proxy
     * started with v3 discovery asks): the first {@code size} registrations once there are that
     * many, waiting for them if there are fewer.
     */
    public static String readCluster(V3DiscoveryConfig config, DiscoveryRetry retry, StartupLog log)
            throws DiscoveryException {
        try (RegistryClient registry = new RegistryClient(config)) {
            V3Discovery d = new V3Discovery(registry, config, 0, retry, log); // ID 0: never registered
            registry.authenticate();
            ClusterView view = d.checkCluster();
            String cluster = clusterText(d.isFull(view) ? view.members() : d.waitForAll(view), view.size());
            d.log(StartupLog.Level.INFO, "v3discovery/discovery.go:114", "discovery got cluster successfully",
                    "cluster", cluster);
            return cluster;
        } catch (IOException e) {
            throw DiscoveryException.other(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    String join(String selfConfig) throws DiscoveryException {
        refuseIfFull(checkCluster());
        register(selfConfig);
        ClusterView view = checkCluster();
        refuseIfFull(view);
        List<RegistryClient.Entry> all = waitForAll(view);
        return clusterText(all, view.size());
    }

    private String clusterPrefix() {
        return REGISTRY + "/" + token;
    }

    private String membersPrefix() {
        return clusterPrefix() + "/members";
    }

    /** The size and the registered members, ranked, retried while the registry does not answer. */
    private ClusterView checkCluster() throws DiscoveryException {
        while (true) {
            try {
                ClusterView view = listCluster();
                retries = 0;
                return view;
            } catch (IOException e) {
                backOff("cluster status check", e);
            }
        }
    }

    /** Whether {@code size} members rank before this member (registered or not). */
    private boolean isFull(ClusterView view) {
        int ahead = 0;
        for (RegistryClient.Entry m : view.members()) {
            if (m.key().equals(selfKey)) {
                return false;
            }
            if (++ahead >= view.size()) {
                return true;
            }
        }
        return false;
    }

    private void refuseIfFull(ClusterView view) throws DiscoveryException {
        if (isFull(view)) {
            throw new DiscoveryException(DiscoveryException.Reason.FULL_CLUSTER, DiscoveryException.FULL_CLUSTER_TEXT);
        }
    }

    private ClusterView listCluster() throws IOException, DiscoveryException {
        String sizeKey = clusterPrefix() + "/_config/size";
        String text;
        try {
            text = registry.get(sizeKey).orElseThrow(() -> DiscoveryException.other(SIZE_NOT_FOUND_TEXT));
        } catch (IOException e) {
            Map<String, Object> f = fields("clusterSizeKey", sizeKey);
            f.put("error", e.getMessage());
            log.log(StartupLog.Level.WARN, "v3discovery/discovery.go:237",
                    "failed to get cluster size from discovery service", f);
            throw e;
        }
        int size = parseSize(text);
        RegistryClient.Listing listing;
        try {
            listing = registry.list(membersPrefix());
        } catch (IOException e) {
            Map<String, Object> f = fields("membersKeyPrefix", membersPrefix());
            f.put("error", e.getMessage());
            log.log(StartupLog.Level.WARN, "v3discovery/discovery.go:264",
                    "failed to get cluster members from discovery service", f);
            throw e;
        }
        List<RegistryClient.Entry> members = new ArrayList<>();
        for (RegistryClient.Entry e : listing.entries()) {
            add(members, e);
        }
        return new ClusterView(members, size, listing.revision());
    }

    /** Go's strconv.ParseInt(s, 10, 0) and a positive result, or "size key is bad". */
    static int parseSize(String text) throws DiscoveryException {
        if (!text.matches("[+-]?[0-9]+")) {
            throw DiscoveryException.other(BAD_SIZE_TEXT);
        }
        long size;
        try {
            size = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw DiscoveryException.other(BAD_SIZE_TEXT);
        }
        if (size <= 0) {
            throw DiscoveryException.other(BAD_SIZE_TEXT);
        }
        return (int) Math.min(size, Integer.MAX_VALUE); // no cluster gets that big anyway
    }

    /**
     * Adds a registration in rank order (by create revision), or logs why it does not count: not
     * under the members prefix, no "name=url" value (a deleted key), or a key already known.
     */
    private void add(List<RegistryClient.Entry> members, RegistryClient.Entry e) {
        String key = e.key().strip();
        String value = e.value().strip();
        String problem = null;
        if (!key.startsWith(membersPrefix())) {
            problem = "invalid peer registry key";
        } else if (value.indexOf('=') < 0) {
            problem = "invalid peer info returned from discovery service";
        } else if (members.stream().anyMatch(m -> m.key().equals(key))) {
            problem = "found duplicate peer from discovery service";
        }
        Map<String, Object> f = fields("memberKey", key);
        f.put("memberInfo", value);
        if (problem != null) {
            log.log(StartupLog.Level.WARN, "v3discovery/discovery.go:278", problem, f);
            return;
        }
        members.add(new RegistryClient.Entry(key, value, e.createRevision()));
        members.sort(Comparator.comparingLong(RegistryClient.Entry::createRevision));
        log.log(StartupLog.Level.INFO, "v3discovery/discovery.go:284", "found peer from discovery service", f);
    }

    private void register(String selfConfig) throws DiscoveryException {
        while (true) {
            try {
                registry.put(selfKey, selfConfig);
                retries = 0;
                Map<String, Object> f = fields("memberKey", selfKey);
                f.put("memberInfo", selfConfig);
                log.log(StartupLog.Level.INFO, "v3discovery/discovery.go:358", "register member itself successfully", f);
                return;
            } catch (IOException e) {
                Map<String, Object> f = fields("memberKey", selfKey);
                f.put("error", e.getMessage());
                log.log(StartupLog.Level.WARN, "v3discovery/discovery.go:349",
                        "failed to register members itself to the discovery service", f);
                backOff("register member itself", e);
            }
        }
    }

    /** Watches the members prefix from after the view's revision until {@code size} members are known. */
    private List<RegistryClient.Entry> waitForAll(ClusterView first) throws DiscoveryException {
        ClusterView view = first;
        while (true) {
            try {
                return waitOnce(view);
            } catch (IOException e) {
                backOff("watch peers", e);
                view = checkCluster(); // from a fresh listing: the watch may have missed changes
            }
        }
    }

    private List<RegistryClient.Entry> waitOnce(ClusterView view) throws IOException {
        List<RegistryClient.Entry> members = new ArrayList<>(view.members());
        if (members.size() >= view.size()) {
            return members;
        }
        Map<String, Object> f = fields("clusterSize", view.size());
        f.put("found-peers", members.size());
        log.log(StartupLog.Level.INFO, "v3discovery/discovery.go:372", "waiting for peers from discovery service", f);
        try (RegistryClient.PrefixWatch watch = registry.watch(membersPrefix(), view.revision() + 1)) {
            while (members.size() < view.size()) {
                WatchResponse r = watch.next();
                for (Event ev : r.getEventsList()) {
                    add(members, new RegistryClient.Entry(ev.getKv().getKey().toStringUtf8(),
                            ev.getKv().getValue().toStringUtf8(), ev.getKv().getCreateRevision()));
                }
            }
        }
        Map<String, Object> done = fields("clusterSize", view.size());
        done.put("found-peers", members.size());
        log.log(StartupLog.Level.INFO, "v3discovery/discovery.go:404", "found all needed peers from discovery service",
                done);
        return members;
    }

    /** The first {@code size} registrations joined with ","; "invalid peer URL" when they do not parse. */
    static String clusterText(List<RegistryClient.Entry> ranked, int size) throws DiscoveryException {
        List<String> values = new ArrayList<>();
        for (RegistryClient.Entry e : ranked.subList(0, Math.min(size, ranked.size()))) {
            values.add(e.value());
        }
        String text = String.join(",", values);
        try {
            InitialCluster.parseUrlsMap(text);
        } catch (IllegalArgumentException e) {
            throw DiscoveryException.other(INVALID_URL_TEXT);
        }
        return text;
    }

    /** Counts a retry and sleeps its back-off, or fails when retries are used up. */
    private void backOff(String step, IOException cause) throws DiscoveryException {
        retries++;
        if (retries > retry.maxRetries()) {
            throw new DiscoveryException(DiscoveryException.Reason.TOO_MANY_RETRIES, "discovery: too many retries");
        }
        Duration pause = retry.backoff(retries);
        Map<String, Object> f = fields("reason", step);
        f.put("backoff", GoDuration.format(pause));
        f.put("error", cause.getMessage() == null ? cause.toString() : cause.getMessage());
        log.log(StartupLog.Level.WARN, "v3discovery/discovery.go:420", "retry connecting to discovery service", f);
        try {
            Thread.sleep(pause.toMillis()); // back-off between tries of an unreachable service
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DiscoveryException.other("discovery: interrupted");
        }
    }

    private void log(StartupLog.Level level, String caller, String message, String key, Object value) {
        log.log(level, caller, message, fields(key, value));
    }

    /** etcd's discovery logger carries the token and endpoints on every line. */
    private Map<String, Object> fields(String key, Object value) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("discovery-token", token);
        f.put("discovery-endpoints", endpoints);
        f.put(key, value);
        return f;
    }
}
