package io.etcdj.server.bootstrap;

import io.etcdj.server.MemberSettings;
import io.etcdj.server.config.InitialCluster;
import io.etcdj.server.config.StartupLog;
import java.net.URI;
import java.util.List;
import java.util.Map;
import javax.naming.NamingException;

/**
 * Turns the settings of a member started with --discovery-srv (and no data yet) into those of a
 * static start: the initial cluster found in DNS ({@link SrvClusterResolver}), IDs derived with
 * --initial-cluster-token as for any static start. This member must be in the records.
 */
public final class SrvBootstrap {
    private SrvBootstrap() {}

    public static MemberSettings discover(MemberSettings settings, String domain, String serviceName, DnsLookup dns,
                                          StartupLog log) throws DiscoveryBootstrap.InvalidDiscoveredCluster {
        List<String> entries;
        try {
            entries = new SrvClusterResolver(dns).resolve(domain, serviceName, settings.name(),
                    settings.advertisePeerUrls().stream().map(URI::create).toList());
        } catch (NamingException e) {
            log.log(StartupLog.Level.WARN, "embed/config.go:764", "failed to resolve during SRV discovery",
                    Map.of("error", String.valueOf(e.getExplanation())));
            throw new DiscoveryBootstrap.InvalidDiscoveredCluster(String.valueOf(e.getExplanation()));
        }
        for (String node : entries) {
            log.log(StartupLog.Level.INFO, "embed/config.go:768", "got bootstrap from DNS for etcd-server",
                    Map.of("node", node));
        }
        try {
            Map<String, List<URI>> urls = InitialCluster.parseUrlsMap(String.join(",", entries));
            if (!urls.containsKey(settings.name())) {
                throw new DiscoveryBootstrap.InvalidDiscoveredCluster(
                        "cannot find local etcd member \"" + settings.name() + "\" in SRV records");
            }
            return settings.withInitialCluster(InitialCluster.of(urls, settings.initialCluster().token()));
        } catch (IllegalArgumentException e) {
            throw new DiscoveryBootstrap.InvalidDiscoveredCluster(e.getMessage());
        }
    }
}
