package io.etcdj.server.config;

import io.etcdj.server.config.ConfigException.Kind;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks etcd makes when a member starts without data: for a new cluster
 * ({@code VerifyBootstrap}) this member's name must be in the initial cluster with exactly its
 * advertised peer URLs (host names compared after resolution, as etcd does), no URL may appear
 * twice, and something must define the cluster; for joining an existing cluster
 * ({@code VerifyJoinExisting}) the name must be present and discovery must be off. Failures
 * carry etcd's texts and end the process like etcd's "discovery failed" (exit 1).
 */
public final class BootstrapVerification {
    /** Resolves a host name to an address text; replaceable in tests. */
    @FunctionalInterface
    public interface HostResolver {
        String resolve(String host) throws UnknownHostException;
    }

    /** The system resolver (first address). */
    public static final HostResolver SYSTEM_RESOLVER = host -> InetAddress.getByName(host).getHostAddress();

    private BootstrapVerification() {}

    /**
     * etcd's {@code PeerURLsMapAndToken} for static and discovery bootstrap: the initial
     * cluster with --initial-cluster-token, or, with --discovery, this member alone with the
     * discovery URL as token (with v3 discovery, --discovery-token is the token). (DNS SRV bootstrap needs a lookup first; build that cluster with
     * {@link InitialCluster#parse} from the SRV results.)
     *
     * @throws IllegalArgumentException with etcd's text for a malformed --initial-cluster
     */
    public static InitialCluster initialCluster(EtcdConfig config) {
        return InitialCluster.of(urlsMap(config), token(config));
    }

    /** The names-to-peer-URLs map of {@link #initialCluster}, before IDs are derived. */
    static Map<String, List<URI>> urlsMap(EtcdConfig config) {
        if (config.shouldDiscover()) {
            return Map.of(config.name(), config.advertisePeerUrls());
        }
        return InitialCluster.parseUrlsMap(config.initialCluster());
    }

    /**
     * The token member IDs are hashed with: the discovery URL with --discovery, --discovery-token
     * with v3 discovery, else the cluster token.
     */
    static String token(EtcdConfig config) {
        if (!config.discovery().isEmpty()) {
            return config.discovery();
        }
        return config.usesV3Discovery() ? config.discoveryToken() : config.initialClusterToken();
    }

    /** The checks for a member bootstrapping a new cluster; returns the verified cluster. */
    public static InitialCluster verifyNewCluster(EtcdConfig config, HostResolver resolver) throws ConfigException {
        Map<String, List<URI>> cluster = parsed(config);
        hasLocalMember(config, cluster);
        advertiseMatchesCluster(config, cluster, resolver);
        if (hasDuplicateUrl(cluster)) {
            throw failed("initial cluster " + InitialCluster.urlsMapString(cluster) + " has duplicate url");
        }
        if (cluster.isEmpty() && !config.shouldDiscover()) {
            throw failed("initial cluster unset and no discovery URL found");
        }
        return withIds(cluster, config);
    }

    /** The checks for a member joining an existing cluster; returns the parsed cluster. */
    public static InitialCluster verifyJoinExisting(EtcdConfig config) throws ConfigException {
        Map<String, List<URI>> cluster = parsed(config);
        hasLocalMember(config, cluster);
        if (hasDuplicateUrl(cluster)) {
            throw failed("initial cluster " + InitialCluster.urlsMapString(cluster) + " has duplicate url");
        }
        if (config.shouldDiscover()) {
            throw failed("discovery URL should not be set when joining existing initial cluster");
        }
        return withIds(cluster, config);
    }

    private static Map<String, List<URI>> parsed(EtcdConfig config) throws ConfigException {
        try {
            return urlsMap(config);
        } catch (IllegalArgumentException e) {
            throw failed(e.getMessage());
        }
    }

    private static InitialCluster withIds(Map<String, List<URI>> cluster, EtcdConfig config) throws ConfigException {
        try {
            return InitialCluster.of(cluster, token(config));
        } catch (IllegalArgumentException e) {
            throw failed(e.getMessage());
        }
    }

    private static void hasLocalMember(EtcdConfig config, Map<String, List<URI>> cluster) throws ConfigException {
        if (!cluster.containsKey(config.name())) {
            throw failed("couldn't find local name \"" + config.name() + "\" in the initial cluster configuration");
        }
    }

    private static void advertiseMatchesCluster(EtcdConfig config, Map<String, List<URI>> cluster,
                                                HostResolver resolver) throws ConfigException {
        List<String> inCluster = strings(cluster.get(config.name()));
        List<String> advertised = strings(config.advertisePeerUrls());
        inCluster.sort(null);
        advertised.sort(null);
        String why = compare(advertised, inCluster, resolver);
        if (why == null) {
            return;
        }
        Set<String> apSet = new HashSet<>(advertised);
        List<String> missing = new ArrayList<>();
        for (String u : new LinkedHashSet<>(inCluster)) {
            if (!apSet.contains(u)) {
                missing.add(config.name() + "=" + u);
            }
        }
        String apText = String.join(",", advertised);
        if (!missing.isEmpty()) {
            throw failed("--initial-cluster has " + String.join(",", missing)
                    + " but missing from --initial-advertise-peer-urls=" + apText + " (" + why + ")");
        }
        Set<String> clusterSet = new HashSet<>(inCluster);
        for (String u : new LinkedHashSet<>(advertised)) {
            if (!clusterSet.contains(u)) {
                missing.add(u);
            }
        }
        String self = InitialCluster.urlsMapString(Map.of(config.name(), config.advertisePeerUrls()));
        if (!missing.isEmpty()) {
            throw failed("--initial-advertise-peer-urls has " + String.join(",", missing)
                    + " but missing from --initial-cluster=" + self);
        }
        throw failed("failed to resolve " + apText + " to match --initial-cluster=" + self + " (" + why + ")");
    }

    /** etcd's URLStringsEqual: null when equal, else the reason in etcd's words. */
    private static String compare(List<String> a, List<String> b, HostResolver resolver) {
        if (a.size() != b.size()) {
            return "len(" + goQuoted(a) + ") != len(" + goQuoted(b) + ")";
        }
        if (a.equals(b)) {
            return null;
        }
        List<String> ra = new ArrayList<>();
        List<String> rb = new ArrayList<>();
        try {
            for (String u : a) {
                ra.add(resolve(u, resolver));
            }
            for (String u : b) {
                rb.add(resolve(u, resolver));
            }
        } catch (UnknownHostException e) {
            return e.getMessage();
        }
        ra.sort(null);
        rb.sort(null);
        for (int i = 0; i < ra.size(); i++) {
            if (!ra.get(i).equals(rb.get(i))) {
                return "resolved urls: \"" + ra.get(i) + "\" != \"" + rb.get(i) + "\"";
            }
        }
        return null;
    }

    /** The URL with its host replaced by the resolved address (localhost and unix URLs kept). */
    private static String resolve(String url, HostResolver resolver) throws UnknownHostException {
        GoUrl u = GoUrl.parse(url);
        if (u.scheme().equals("unix") || u.scheme().equals("unixs")) {
            return url;
        }
        String[] hp = GoUrl.splitHostPort(u.host());
        if (hp == null || hp[0].equals("localhost")) {
            return url;
        }
        String address;
        try {
            address = resolver.resolve(hp[0]);
        } catch (UnknownHostException e) {
            throw new UnknownHostException("failed to resolve \"" + url + "\" (lookup " + hp[0] + ": no such host)");
        }
        String host = address.indexOf(':') >= 0 ? "[" + address + "]:" + hp[1] : address + ":" + hp[1];
        return new GoUrl(u.scheme(), u.opaque(), u.userinfo(), host, u.hasAuthority(), u.path(), u.rawQuery(),
                u.fragment()).toString();
    }

    private static boolean hasDuplicateUrl(Map<String, List<URI>> cluster) {
        Set<String> seen = new HashSet<>();
        for (List<URI> urls : cluster.values()) {
            for (URI u : urls) {
                if (!seen.add(u.toString())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<String> strings(List<URI> urls) {
        List<String> out = new ArrayList<>();
        if (urls != null) {
            for (URI u : urls) {
                out.add(u.toString());
            }
        }
        return out;
    }

    private static String goQuoted(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String s : values) {
            if (b.length() > 1) {
                b.append(' ');
            }
            b.append('"').append(s).append('"');
        }
        return b.append(']').toString();
    }

    private static ConfigException failed(String message) {
        return new ConfigException(Kind.BOOTSTRAP, message);
    }
}
