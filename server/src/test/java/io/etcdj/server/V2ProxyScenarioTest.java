package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.server.bootstrap.DiscoveryException;
import io.etcdj.server.config.EtcdConfig;
import io.etcdj.server.config.EtcdConfigParser;
import io.etcdj.server.config.StartupLog;
import io.etcdj.server.proxy.v2.V2Proxy;
import io.etcdj.testsupport.OpenResources;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd 3.4's v2 proxy ({@code bin/etcd --proxy on|readonly}) in front of etcdj members with the v2
 * API, over real sockets: curl-like requests, a long-poll watch and Debian's etcdctl (ETCDCTL_API=2)
 * go through it; a member dying behind it is skipped; the readonly proxy refuses writes; the
 * proxy's state survives a restart; a member whose discovery cluster is full becomes a proxy.
 */
class V2ProxyScenarioTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern ENDPOINT = Pattern.compile("\"(http://[^\"]+)\"");

    @TempDir
    Path dir;
    @RegisterExtension
    final OpenResources open = new OpenResources();

    private EtcdCluster v2Cluster(int size) {
        EtcdCluster c = EtcdCluster.start(dir.resolve("cluster"), size, 10_000, 5_000, s -> s.withEnableV2(true));
        open.add(c);
        c.awaitLeader(WAIT);
        // members publish their client URLs through raft after starting; a proxy learns only published ones
        EtcdCluster.awaitCondition(WAIT, "every member published", () -> {
            String members = new V2ProxyClient(c.clientUrl(0)).get("/v2/members").body();
            return IntStream.range(0, size).allMatch(i -> members.contains(c.clientUrl(i)));
        });
        return c;
    }

    private static String initialCluster(EtcdCluster c) {
        return String.join(",", IntStream.range(0, c.size())
                .mapToObj(i -> EtcdCluster.name(i) + "=" + c.member(i).settings().advertisePeerUrls().get(0)).toList());
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    /** What {@code bin/etcd ARGS} parses to. */
    private static EtcdConfig config(String... args) throws Exception {
        return EtcdConfigParser.parse(args, Map.of(), StartupLog.NONE);
    }

    /** {@code bin/etcd --proxy MODE --data-dir DATA --initial-cluster IC --listen-client-urls URL EXTRA...}. */
    private String startProxy(String mode, Path dataDir, String initialCluster, String... extra) throws Exception {
        String url = "http://127.0.0.1:" + EtcdCluster.freePort();
        List<String> args = new ArrayList<>(List.of("--proxy", mode, "--data-dir", dataDir.toString(),
                "--initial-cluster", initialCluster, "--listen-client-urls", url));
        args.addAll(List.of(extra));
        V2Proxy p = V2Proxy.start(config(args.toArray(String[]::new)), DiscoveryClusterTest.FAST, StartupLog.NONE);
        open.add(p);
        return url;
    }

    /** Waits until the proxy forwards to {@code n} members (members publish their client URLs after starting). */
    private static List<String> awaitEndpoints(V2ProxyClient proxy, int n) {
        EtcdCluster.awaitCondition(WAIT, n + " proxy endpoints", () -> proxyEndpoints(proxy).size() == n);
        return proxyEndpoints(proxy);
    }

    private static List<String> proxyEndpoints(V2ProxyClient proxy) {
        HttpResponse<String> r = proxy.get("/v2/config/local/proxy");
        assertThat(r.statusCode()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        Matcher m = ENDPOINT.matcher(r.body());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void curlAndBothEtcdctlsWorkThroughTheProxy() throws Exception {
        EtcdCluster c = v2Cluster(3);
        Path data = dir.resolve("proxy.etcd");
        String url = startProxy("on", data, initialCluster(c), "--proxy-refresh-interval", "60000");
        V2ProxyClient proxy = new V2ProxyClient(url);

        // the proxy learned every member's client URL from the peers, and stored their peer URLs
        assertThat(sorted(awaitEndpoints(proxy, 3))).isEqualTo(sorted(List.of(c.clientUrl(0), c.clientUrl(1), c.clientUrl(2))));
        assertThat(Files.readString(data.resolve("proxy/cluster"))).isEqualTo("{\"PeerURLs\":[" + String.join(",",
                sorted(IntStream.range(0, 3).mapToObj(i -> "\"" + c.member(i).settings().advertisePeerUrls().get(0) + "\"")
                        .toList())) + "]}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("proxy/cluster"))))
                .isEqualTo("rw-------");

        HttpResponse<String> set = proxy.putKey("foo", "bar");
        assertThat(set.statusCode()).isEqualTo(201);
        assertThat(set.body()).startsWith("{\"action\":\"set\",\"node\":{\"key\":\"/foo\",\"value\":\"bar\"");
        assertThat(set.headers().firstValue("X-Etcd-Cluster-Id")).isPresent();
        long index = Long.parseLong(set.headers().firstValue("X-Etcd-Index").orElseThrow());
        HttpResponse<String> get = proxy.get("/v2/keys/foo");
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).contains("\"action\":\"get\"", "\"value\":\"bar\"");
        assertThat(proxy.get("/v2/keys/missing").statusCode()).isEqualTo(404);
        assertThat(proxy.get("/v2/members").body()).contains(c.clientUrl(0), c.clientUrl(1), c.clientUrl(2));
        assertThat(proxy.get("/version").body()).contains("\"etcdserver\"");
        assertThat(proxy.get("/health").body()).contains("\"health\":\"true\"");

        // the proxy's own metrics, as etcd names them
        String metrics = proxy.get("/metrics").body();
        assertThat(metrics).containsPattern("etcd_proxy_requests_total\\{method=\"PUT\"} 1")
                .containsPattern("etcd_proxy_handled_total\\{code=\"201\",method=\"PUT\"} 1")
                .containsPattern("etcd_proxy_handled_total\\{code=\"404\",method=\"GET\"} 1")
                .contains("etcd_proxy_handling_duration_seconds_bucket{method=\"PUT\",le=\"0.001\"}");

        // a long-poll watch waits at the member and its event comes back through the proxy
        CompletableFuture<HttpResponse<String>> watch = proxy.sendAsync("GET",
                "/v2/keys/foo?wait=true&waitIndex=" + (index + 1));
        assertThat(proxy.putKey("foo", "baz").statusCode()).isEqualTo(200);
        HttpResponse<String> event = watch.get(20, TimeUnit.SECONDS);
        assertThat(event.statusCode()).isEqualTo(200);
        assertThat(event.body()).contains("\"action\":\"set\"", "\"value\":\"baz\"", "\"prevNode\"");

        // Debian's etcdctl only: the server module's tests run before bin/etcdctl is built in a clean build
        List<V2Etcdctl> etcdctls = List.of(V2Etcdctl.debian());
        for (int i = 0; i < etcdctls.size(); i++) {
            V2Etcdctl etcdctl = etcdctls.get(i);
            String d = "/ctl" + i;
            assertThat(etcdctl.ok(url, "set", d + "/a", "1")).isEqualTo("1\n");
            assertThat(etcdctl.ok(url, "get", d + "/a")).isEqualTo("1\n");
            assertThat(etcdctl.ok(url, "mkdir", d + "/sub")).isEmpty();
            assertThat(etcdctl.ok(url, "ls", "--sort", d)).isEqualTo(d + "/a\n" + d + "/sub\n");
            assertThat(etcdctl.ok(url, "member", "list").lines().count()).isEqualTo(3);
            String after = proxy.get("/v2/keys" + d + "/a").headers().firstValue("X-Etcd-Index").orElseThrow();
            assertThat(etcdctl.ok(url, "set", d + "/a", "2")).isEqualTo("2\n");
            assertThat(etcdctl.ok(url, "watch", "--after-index", after, d + "/a")).isEqualTo("2\n");
            assertThat(etcdctl.ok(url, "rm", d + "/a")).contains("PrevNode.Value: 2");
        }
    }

    @Test
    void aMemberKilledBehindTheProxyIsSkippedAndLeftOutForTheFailureWait() throws Exception {
        EtcdCluster c = v2Cluster(3);
        String url = startProxy("on", dir.resolve("proxy.etcd"), initialCluster(c),
                "--proxy-refresh-interval", "600000", "--proxy-failure-wait", "600000");
        V2ProxyClient proxy = new V2ProxyClient(url);
        List<String> order = awaitEndpoints(proxy, 3);

        // kill the member every request tries first: the next request must fail over
        int first = IntStream.range(0, 3).filter(i -> c.clientUrl(i).equals(order.get(0))).findFirst().orElseThrow();
        c.stopMember(first);
        c.awaitLeader(WAIT);
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> r = proxy.putKey("after-" + i, "v");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            assertThat(proxy.get("/v2/keys/after-" + i).body()).contains("\"value\":\"v\"");
        }
        assertThat(proxyEndpoints(proxy)).isEqualTo(order.subList(1, 3));
    }

    @Test
    void aReadonlyProxyRefusesEverythingButGet() throws Exception {
        EtcdCluster c = v2Cluster(1);
        new V2ProxyClient(c.clientUrl(0)).putKey("ro", "v");
        String url = startProxy("readonly", dir.resolve("proxy.etcd"), initialCluster(c));
        V2ProxyClient proxy = new V2ProxyClient(url);
        awaitEndpoints(proxy, 1);

        for (String method : List.of("PUT", "POST", "DELETE", "HEAD", "OPTIONS")) {
            HttpResponse<String> r = proxy.send(method, "/v2/keys/ro", method.equals("HEAD") ? null : "value=x");
            assertThat(r.statusCode()).as(method).isEqualTo(501);
            assertThat(r.body()).as(method).isEmpty();
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as(method).isEmpty();
        }
        assertThat(proxy.get("/v2/keys/ro").body()).contains("\"value\":\"v\"");
        V2Etcdctl.Result refused = V2Etcdctl.debian().run(url, "set", "/ro", "x");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.out()).contains("returns server error [Not Implemented]");
        assertThat(V2Etcdctl.debian().ok(url, "get", "/ro")).isEqualTo("v\n");
    }

    @Test
    void aClientLeavingAWatchEndsTheWatchAtTheMember() throws Exception {
        EtcdCluster c = v2Cluster(1);
        String url = startProxy("on", dir.resolve("proxy.etcd"), initialCluster(c));
        awaitEndpoints(new V2ProxyClient(url), 1);
        V2ProxyClient member = new V2ProxyClient(c.clientUrl(0));
        URI u = URI.create(url);
        try (Socket client = new Socket(u.getHost(), u.getPort())) {
            client.getOutputStream().write(("GET /v2/keys/w?wait=true HTTP/1.1\r\nHost: " + u.getAuthority()
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            client.getOutputStream().flush();
            EtcdCluster.awaitCondition(WAIT, "the watch waiting at the member",
                    () -> member.get("/v2/stats/store").body().contains("\"watchers\":1"));
        }
        EtcdCluster.awaitCondition(WAIT, "the member's watch ended after the client left",
                () -> member.get("/v2/stats/store").body().contains("\"watchers\":0"));
    }

    @Test
    void withoutReachablePeersItAnswers503AndARestartedProxyUsesItsClusterFile() throws Exception {
        String nowhere = "n=http://127.0.0.1:" + EtcdCluster.freePort();
        Path empty = dir.resolve("lonely.etcd");
        V2ProxyClient lonely = new V2ProxyClient(startProxy("on", empty, nowhere));
        HttpResponse<String> r = lonely.get("/v2/keys/x");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEqualTo("{\"message\":\"httpproxy: zero endpoints currently available\"}");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(empty.resolve("proxy/cluster")).doesNotExist();
        assertThat(lonely.get("/metrics").body())
                .containsPattern("etcd_proxy_dropped_total\\{method=\"GET\",proxying_error=\"zero_endpoints\"} 1");

        EtcdCluster c = v2Cluster(1);
        Path data = dir.resolve("proxy.etcd");
        awaitEndpoints(new V2ProxyClient(startProxy("on", data, initialCluster(c))), 1);
        open.closeLatest();
        // the flags now name no reachable member, but the cluster file does
        V2ProxyClient restarted = new V2ProxyClient(startProxy("on", data, nowhere));
        awaitEndpoints(restarted, 1);
        assertThat(restarted.get("/v2/keys/").statusCode()).isEqualTo(200);
    }

    @Test
    void aMemberWhoseDiscoveryClusterIsFullBecomesAProxy() throws Exception {
        EtcdCluster c = v2Cluster(1);
        DiscoveryService service = DiscoveryService.start(dir.resolve("service"));
        open.add(service);
        String token = service.newToken(1);
        String memberPeer = c.member(0).settings().advertisePeerUrls().get(0);
        service.put(token + "/" + Long.toHexString(c.server(0).memberId()), EtcdCluster.name(0) + "=" + memberPeer);

        String client = "http://127.0.0.1:" + EtcdCluster.freePort();
        String peer = "http://127.0.0.1:" + EtcdCluster.freePort();
        Path data = dir.resolve("late.etcd");
        List<String> flags = List.of("--name", "late", "--data-dir", data.toString(), "--discovery", token,
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer);

        // --discovery-fallback=exit: the member gives up, as before
        EtcdConfig exit = config(concat(flags, "--discovery-fallback", "exit"));
        DiscoveryException full = discoveryFailure(exit);
        assertThat(DiscoveryFailureReport.fallsBackToProxy(full, exit.discoveryFallback(), StartupLog.NONE)).isFalse();

        // the default (proxy): etcd's warning, then a proxy in front of the token's cluster
        EtcdConfig fallback = config(flags.toArray(String[]::new));
        StartupLog.Recording log = new StartupLog.Recording();
        assertThat(DiscoveryFailureReport.fallsBackToProxy(discoveryFailure(fallback), fallback.discoveryFallback(), log))
                .isTrue();
        assertThat(log.entries()).singleElement().satisfies(e -> {
            assertThat(e.level()).isEqualTo(StartupLog.Level.WARN);
            assertThat(e.message()).isEqualTo("discovery cluster is full, falling back to proxy");
            assertThat(e.fields()).containsEntry("fallback-proxy", "proxy")
                    .containsEntry("error", "failed to join discovery cluster (discovery: cluster is full)");
        });
        open.add(V2Proxy.start(fallback, DiscoveryClusterTest.FAST, StartupLog.NONE));
        V2ProxyClient proxy = new V2ProxyClient(client);
        awaitEndpoints(proxy, 1);
        assertThat(proxy.putKey("via-fallback", "yes").statusCode()).isEqualTo(201);
        assertThat(new V2ProxyClient(c.clientUrl(0)).get("/v2/keys/via-fallback").body()).contains("\"value\":\"yes\"");
        assertThat(Files.readString(data.resolve("proxy/cluster"))).isEqualTo("{\"PeerURLs\":[\"" + memberPeer + "\"]}");
        assertThat(data.resolve("member")).doesNotExist();
    }

    private static DiscoveryException discoveryFailure(EtcdConfig config) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> EtcdMain.bootstrapSettings(config, false, DiscoveryClusterTest.FAST, StartupLog.NONE))
                .isInstanceOfSatisfying(DiscoveryException.class, e -> {
                    assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.FULL_CLUSTER);
                    thrown[0] = e;
                });
        return (DiscoveryException) thrown[0];
    }

    private static String[] concat(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
