package io.etcdj.server.bootstrap;

import io.etcdj.server.MemberSettings;
import io.etcdj.server.config.InitialCluster;
import io.etcdj.server.config.StartupLog;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the settings of a member started with --discovery, or with etcd 3.6's v3 discovery
 * (--discovery-token, --discovery-endpoints), and no data yet into the settings
 * of a static start: the initial cluster is whatever the discovery service assembled, and every
 * ID is derived with the discovery URL (v3: the token) as cluster token (as etcd does, so the same flags give
 * the same member and cluster IDs as etcd would). A restart never comes here: a member with
 * data ignores discovery.
 */
public final class DiscoveryBootstrap {
    /**
     * The discovered cluster is unusable, or DNS SRV discovery found none (not a v2 protocol
     * failure: etcd reports it as "discovery failed").
     */
    public static final class InvalidDiscoveredCluster extends Exception {
        public InvalidDiscoveredCluster(String message) {
            super(message);
        }
    }

    private DiscoveryBootstrap() {}

    /**
     * @param settings     this member's settings; their initial cluster is this member alone,
     *                     with the discovery URL as token
     * @param discoveryUrl --discovery
     * @param proxyUrl     --discovery-proxy, or ""
     */
    public static MemberSettings discover(MemberSettings settings, String discoveryUrl, String proxyUrl,
                                          DiscoveryRetry retry, StartupLog log)
            throws DiscoveryException, InvalidDiscoveredCluster {
        InitialCluster self = settings.initialCluster();
        long selfId = self.member(settings.name()).orElseThrow(() -> new IllegalStateException(
                "the initial cluster of a discovery start must hold this member")).id();
        String text = new EtcdDiscovery(discoveryUrl, proxyUrl, selfId, retry, log).joinCluster(self.toString());
        return withDiscoveredCluster(settings, text, discoveryUrl);
    }

    /**
     * The same for etcd 3.6's v3 discovery (--discovery-token, --discovery-endpoints): the initial
     * cluster is what the token's registry assembled, and IDs are derived with the token as
     * cluster token (as etcd 3.6 does).
     *
     * @param settings this member's settings; their initial cluster is this member alone, with
     *                 the discovery token as token
     */
    public static MemberSettings discoverV3(MemberSettings settings, V3DiscoveryConfig config, DiscoveryRetry retry,
                                            StartupLog log) throws DiscoveryException, InvalidDiscoveredCluster {
        InitialCluster self = settings.initialCluster();
        long selfId = self.member(settings.name()).orElseThrow(() -> new IllegalStateException(
                "the initial cluster of a discovery start must hold this member")).id();
        log.log(StartupLog.Level.INFO, "etcdserver/bootstrap.go:340", "Bootstrapping cluster using v3 discovery.",
                Map.of());
        String text = V3Discovery.joinCluster(config, selfId, self.toString(), retry, log);
        return withDiscoveredCluster(settings, text, config.token());
    }

    private static MemberSettings withDiscoveredCluster(MemberSettings settings, String text, String token)
            throws InvalidDiscoveredCluster {
        Map<String, List<URI>> urls = InitialCluster.parseUrlsMap(text);
        if (hasDuplicateUrl(urls)) {
            throw new InvalidDiscoveredCluster("discovery cluster " + InitialCluster.urlsMapString(urls)
                    + " has duplicate url");
        }
        try {
            return settings.withInitialCluster(InitialCluster.of(urls, token));
        } catch (IllegalArgumentException e) {
            throw new InvalidDiscoveredCluster(e.getMessage());
        }
    }

    private static boolean hasDuplicateUrl(Map<String, List<URI>> urls) {
        Set<String> seen = new HashSet<>();
        for (List<URI> list : urls.values()) {
            for (URI u : list) {
                if (!seen.add(u.toString())) {
                    return true;
                }
            }
        }
        return false;
    }
}
