package io.etcdj.server.proxy.v2;

import io.etcdj.server.bootstrap.DiscoveryException;
import io.etcdj.server.bootstrap.DiscoveryRetry;
import io.etcdj.server.bootstrap.DnsLookup;
import io.etcdj.server.bootstrap.EtcdDiscovery;
import io.etcdj.server.bootstrap.SrvClusterResolver;
import io.etcdj.server.bootstrap.V3Discovery;
import io.etcdj.server.bootstrap.V3DiscoveryConfig;
import io.etcdj.server.clientport.AccessPolicy;
import io.etcdj.server.config.EtcdConfig;
import io.etcdj.server.config.InitialCluster;
import io.etcdj.server.config.StartupLog;
import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.tls.TlsMaterial;
import io.etcdj.server.transport.MemberChannels;
import io.etcdj.server.v2.http.NettyV2HttpServer;
import io.etcdj.server.v2.http.V2HttpHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.naming.NamingException;

/**
 * etcd 3.4's v2 proxy ({@code --proxy on|readonly}, or a member whose discovery cluster is full
 * with {@code --discovery-fallback=proxy}): an HTTP reverse proxy on --listen-client-urls in front
 * of the cluster's members, holding no data but {@code <data-dir>/proxy/cluster}.
 *
 * <p>Start-up, as etcd's: the peer URLs come from the cluster file when one exists (a discovery
 * URL is then ignored), else from --discovery or etcd 3.6's --discovery-token/--discovery-endpoints
 * (the token's full cluster), --discovery-srv (the
 * _etcd-server[-ssl] SRV records, as a member reads them) or --initial-cluster;
 * the members' client URLs are asked from those peers at once and every
 * --proxy-refresh-interval; then one listener per client URL serves requests.
 */
public final class V2Proxy implements AutoCloseable {
    private final ClusterRefresher refresher;
    private final V2ReverseProxy proxy;
    private final List<NettyV2HttpServer> servers = new ArrayList<>();
    private final List<InetSocketAddress> addresses = new ArrayList<>();

    private V2Proxy(ClusterRefresher refresher, V2ReverseProxy proxy) {
        this.refresher = refresher;
        this.proxy = proxy;
    }

    /** Why the proxy could not start, in etcd's words. */
    public static final class StartFailure extends Exception {
        public StartFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Sets the proxy up from {@code config} and starts listening. Blocks while a discovery token
     * is not full yet.
     */
    public static V2Proxy start(EtcdConfig config, DiscoveryRetry retry, StartupLog log) throws StartFailure {
        return start(config, retry, DnsLookup.configured(), log);
    }

    /** The same, with SRV records (--discovery-srv) looked up through {@code dns}. */
    public static V2Proxy start(EtcdConfig config, DiscoveryRetry retry, DnsLookup dns, StartupLog log)
            throws StartFailure {
        log.log(StartupLog.Level.INFO, "etcdmain/etcd.go:318", "v2 API proxy starting", Map.of());
        try {
            Path fixtures = config.dataDir().resolve("fixtures");
            ProxyClusterFile file = ProxyClusterFile.in(config.dataDir());
            List<String> peerUrls = initialPeerUrls(config, file, retry, dns, log);
            TransportSecurity peer = config.peerSecurity();
            TlsMaterial peerTls = peer.isTls()
                    ? TlsMaterial.client(peer, fixtures.resolve("peer"), hosts(peerUrls)) : null;
            HttpClient peerHttp = httpClient(peerTls, config.proxyDialTimeout());
            PeerClusterLookup lookup = new PeerClusterLookup(MemberChannels.using(peerTls), peerHttp, log);

            TransportSecurity client = config.clientSecurity();
            List<String> listenHosts = config.listenClientUrls().stream().map(URI::getHost).toList();
            TlsMaterial upstreamTls = client.isTls()
                    ? TlsMaterial.client(client, fixtures.resolve("client"), listenHosts) : null;
            ProxyEndpoints endpoints = new ProxyEndpoints(config.proxyFailureWait(), System::nanoTime,
                    new SecureRandom(), log);
            ClusterRefresher refresher = new ClusterRefresher(peerUrls, lookup, file, endpoints,
                    config.proxyRefreshInterval(), log);
            V2ProxyMetrics metrics = new V2ProxyMetrics();
            V2ReverseProxy proxy = new V2ReverseProxy(endpoints, httpClient(upstreamTls, config.proxyDialTimeout()),
                    config.proxyReadTimeout(), config.proxyWriteTimeout(), metrics, log);
            V2Proxy running = new V2Proxy(refresher, proxy);
            refresher.start();
            // as etcd's: the CORS wrapper inside the read-only check, /metrics outside both
            V2HttpHandler answering = ProxyCors.wrap(new AccessPolicy(config.cors(), Set.of("*")), proxy);
            V2HttpHandler proxying = config.proxyMode().equals("readonly") ? new ReadonlyProxy(answering) : answering;
            V2HttpHandler handler = ex -> (ex.path().equals("/metrics") ? metrics : proxying).handle(ex);
            TlsMaterial listenTls = client.isTls()
                    ? TlsMaterial.server(client, fixtures.resolve("client"), listenHosts) : null;
            try {
                for (URI u : config.listenClientUrls()) {
                    running.listen(u, handler, listenTls);
                    log.log(StartupLog.Level.INFO, "etcdmain/etcd.go:540",
                            "v2 proxy started listening on client requests", Map.of("host", u.toString()));
                }
            } catch (IOException | RuntimeException e) {
                running.close();
                throw e;
            }
            return running;
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new StartFailure(e.getMessage(), e);
        } catch (DiscoveryException e) {
            throw new StartFailure(e.getMessage(), e);
        }
    }

    private static List<String> initialPeerUrls(EtcdConfig config, ProxyClusterFile file, DiscoveryRetry retry,
                                                DnsLookup dns, StartupLog log) throws IOException, DiscoveryException {
        var stored = file.read();
        if (stored.isPresent()) {
            if (config.shouldDiscover()) {
                log.log(StartupLog.Level.WARN, "etcdmain/etcd.go:374", "discovery token ignored since the proxy has "
                        + "already been initialized; valid cluster file found",
                        Map.of("cluster-file", file.path().toString()));
            }
            if (!config.discoverySrv().isEmpty()) {
                log.log(StartupLog.Level.WARN, "etcdmain/etcd.go:380", "DNS SRV discovery ignored since the proxy "
                        + "has already been initialized; valid cluster file found",
                        Map.of("cluster-file", file.path().toString()));
            }
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("peer-urls", stored.get());
            f.put("cluster-file", file.path().toString());
            log.log(StartupLog.Level.INFO, "etcdmain/etcd.go:399", "proxy using peer URLS from cluster file", f);
            return stored.get();
        }
        String clusterText = config.initialCluster();
        if (config.discovery().isEmpty() && !config.discoverySrv().isEmpty()) {
            clusterText = srvCluster(config, dns, log);
        }
        if (!config.discovery().isEmpty()) {
            clusterText = new EtcdDiscovery(config.discovery(), config.discoveryProxy(), 0, retry, log).readCluster();
        }
        if (config.usesV3Discovery()) {
            clusterText = V3Discovery.readCluster(V3DiscoveryConfig.from(config), retry, log);
        }
        Map<String, List<URI>> urls;
        try {
            urls = InitialCluster.parseUrlsMap(clusterText);
        } catch (IllegalArgumentException e) {
            throw new IOException("error setting up initial cluster: " + e.getMessage());
        }
        TreeSet<String> all = new TreeSet<>();
        urls.values().forEach(l -> l.forEach(u -> all.add(u.toString())));
        List<String> peerUrls = List.copyOf(all);
        log.log(StartupLog.Level.INFO, "etcdmain/etcd.go:427", "proxy using peer URLS", Map.of("peer-urls", peerUrls));
        return peerUrls;
    }

    /**
     * The cluster in the _etcd-server[-ssl] SRV records of --discovery-srv, as a member finds it,
     * except that the proxy need not be among them (a record matching --initial-advertise-peer-urls
     * still takes --name).
     */
    private static String srvCluster(EtcdConfig config, DnsLookup dns, StartupLog log) throws IOException {
        List<String> entries;
        try {
            entries = new SrvClusterResolver(dns).resolve(config.discoverySrv(), config.discoverySrvName(),
                    config.name(), config.advertisePeerUrls());
        } catch (NamingException e) {
            log.log(StartupLog.Level.WARN, "embed/config.go:764", "failed to resolve during SRV discovery",
                    Map.of("error", String.valueOf(e.getExplanation())));
            throw new IOException("error setting up initial cluster: " + e.getExplanation());
        }
        for (String node : entries) {
            log.log(StartupLog.Level.INFO, "embed/config.go:768", "got bootstrap from DNS for etcd-server",
                    Map.of("node", node));
        }
        return String.join(",", entries);
    }

    private void listen(URI url, V2HttpHandler handler, TlsMaterial tls) throws IOException, InterruptedException {
        boolean https = "https".equals(url.getScheme());
        if (https && tls == null) {
            throw new IOException("TLS key/cert (--cert-file, --key-file) must be provided for client url "
                    + url + " with HTTPS scheme");
        }
        NettyV2HttpServer server = new NettyV2HttpServer(handler, https ? tls : null);
        servers.add(server);
        String host = url.getHost().startsWith("[") ? url.getHost().substring(1, url.getHost().length() - 1)
                : url.getHost();
        int port = server.start(host, url.getPort() < 0 ? 80 : url.getPort());
        addresses.add(new InetSocketAddress(host, port));
    }

    /** The bound listener addresses, in --listen-client-urls order. */
    public List<InetSocketAddress> addresses() {
        return List.copyOf(addresses);
    }

    private static HttpClient httpClient(TlsMaterial tls, Duration dialTimeout) throws IOException {
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (!dialTimeout.isZero()) {
            b.connectTimeout(dialTimeout);
        }
        if (tls != null) {
            b.sslContext(tls.sslContext());
        }
        return b.build();
    }

    private static List<String> hosts(List<String> urls) {
        return urls.stream().map(u -> URI.create(u).getHost()).filter(h -> h != null).distinct().toList();
    }

    @Override
    public void close() {
        servers.forEach(NettyV2HttpServer::close);
        refresher.close();
        proxy.close();
    }
}
