package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.config.EtcdConfigParser;
import io.etcdj.server.config.StartupLog;
import io.etcdj.server.proxy.v2.V2Proxy;
import io.etcdj.testsupport.FreePorts;
import io.etcdj.testsupport.OpenResources;
import io.etcdj.testsupport.ReferenceEtcd;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our v2 proxy next to the reference's ({@code /usr/bin/etcd --proxy on|readonly}, etcd 3.4.23),
 * both in front of the same reference etcd member: every request goes to both, and the answers
 * must agree in status, Content-Type, the etcd headers present, how many CORS header lines came
 * (etcd's proxy adds its own in front of the member's), and the body — byte for byte once the
 * store indexes and each proxy's own key prefix are blotted out.
 */
class V2ProxyDifferentialTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    @RegisterExtension
    final OpenResources open = new OpenResources();

    /** One request, with {P} standing for the proxy's own key prefix ("ref" or "our"). */
    record Call(String method, String path, String form) {
        String path(String prefix) {
            return path.replace("{P}", prefix);
        }
    }

    private static final List<Call> SEQUENCE = List.of(
            new Call("PUT", "/v2/keys/{P}/a", "value=1"),
            new Call("GET", "/v2/keys/{P}/a", null),
            new Call("PUT", "/v2/keys/{P}/a?prevExist=false", "value=2"),
            new Call("PUT", "/v2/keys/{P}/a?prevValue=1", "value=2"),
            new Call("GET", "/v2/keys/{P}/missing", null),
            new Call("POST", "/v2/keys/{P}/queue", "value=job"),
            new Call("PUT", "/v2/keys/{P}/dir?dir=true", null),
            new Call("GET", "/v2/keys/{P}?recursive=true&sorted=true", null),
            new Call("GET", "/v2/keys/{P}/a?wait=true&waitIndex=1", null),
            new Call("DELETE", "/v2/keys/{P}/a", null),
            new Call("DELETE", "/v2/keys/{P}/dir", null),
            new Call("GET", "/v2/members", null),
            new Call("GET", "/v2/machines", null),
            new Call("GET", "/version", null),
            new Call("GET", "/health", null),
            new Call("OPTIONS", "/v2/keys/{P}/a", null),
            new Call("GET", "/v2/config/local/proxy", null),
            new Call("POST", "/v2/config/local/proxy", null),
            new Call("HEAD", "/v2/keys/{P}/queue", null));

    @Test
    void ourProxyAnswersAsEtcdsProxy() throws Exception {
        String[] member = startReferenceMember();
        String cluster = "m=" + member[1];
        V2ProxyClient ref = new V2ProxyClient(startReferenceProxy("on", cluster));
        V2ProxyClient our = new V2ProxyClient(startOurProxy("on", cluster));
        awaitEndpoint(ref, member[0]);
        awaitEndpoint(our, member[0]);
        for (Call c : SEQUENCE) {
            assertSame(c, ref.send(c.method(), c.path("ref"), c.form()), our.send(c.method(), c.path("our"), c.form()));
        }
    }

    @Test
    void ourReadonlyProxyRefusesAsEtcdsDoes() throws Exception {
        String[] member = startReferenceMember();
        String cluster = "m=" + member[1];
        for (String prefix : List.of("ref", "our")) { // what the readonly proxies' GETs and watches find
            new V2ProxyClient(member[0]).putKey(prefix + "/a", "1");
        }
        V2ProxyClient ref = new V2ProxyClient(startReferenceProxy("readonly", cluster));
        V2ProxyClient our = new V2ProxyClient(startOurProxy("readonly", cluster));
        awaitEndpoint(ref, member[0]);
        awaitEndpoint(our, member[0]);
        for (Call c : SEQUENCE) {
            assertSame(c, ref.send(c.method(), c.path("ref"), c.form()), our.send(c.method(), c.path("our"), c.form()));
        }
    }

    @Test
    void withACorsListBothAdmitOnlyTheOriginsItNames() throws Exception {
        String[] member = startReferenceMember();
        String cluster = "m=" + member[1];
        List<String> cors = List.of("--cors", "http://a.example:80,https://b.example:8443");
        V2ProxyClient ref = new V2ProxyClient(startReferenceProxy("on", cluster, cors));
        V2ProxyClient our = new V2ProxyClient(startOurProxy("on", cluster, cors));
        awaitEndpoint(ref, member[0]);
        awaitEndpoint(our, member[0]);
        for (String origin : Arrays.asList("http://a.example:80", "https://b.example:8443",
                "http://c.example:80", "http://a.example", null)) {
            for (Call c : List.of(new Call("PUT", "/v2/keys/{P}/a", "value=1"), new Call("GET", "/v2/keys/{P}/a", null),
                    new Call("OPTIONS", "/v2/keys/{P}/a", null), new Call("GET", "/v2/config/local/proxy", null),
                    new Call("GET", "/v2/keys/{P}/a?wait=true&waitIndex=1", null))) {
                assertSame(new Call(c.method(), c.path() + " from " + origin, c.form()),
                        ref.sendFrom(origin, c.method(), c.path("ref"), c.form()),
                        our.sendFrom(origin, c.method(), c.path("our"), c.form()));
            }
        }
    }

    @Test
    void withNoMemberReachableBothAnswer503Alike() throws Exception {
        String cluster = "m=http://127.0.0.1:" + EtcdCluster.freePort();
        V2ProxyClient ref = new V2ProxyClient(startReferenceProxy("on", cluster));
        V2ProxyClient our = new V2ProxyClient(startOurProxy("on", cluster));
        EtcdCluster.awaitCondition(WAIT, "the reference proxy listening", () -> {
            try {
                ref.get("/v2/config/local/proxy");
                return true;
            } catch (AssertionError e) {
                return false;
            }
        });
        Call c = new Call("GET", "/v2/keys/x", null);
        assertSame(c, ref.send("GET", "/v2/keys/x", null), our.send("GET", "/v2/keys/x", null));
        assertThat(our.get("/v2/keys/x").statusCode()).isEqualTo(503);
    }

    private static void assertSame(Call c, HttpResponse<String> ref, HttpResponse<String> our) {
        String what = c.method() + " " + c.path();
        assertThat(our.statusCode()).as(what + " status").isEqualTo(ref.statusCode());
        for (String h : List.of("Content-Type", "X-Etcd-Cluster-Id", "Allow", "X-Content-Type-Options")) {
            assertThat(our.headers().allValues(h)).as(what + " " + h).isEqualTo(ref.headers().allValues(h));
        }
        for (String h : List.of("X-Etcd-Index", "X-Raft-Index", "X-Raft-Term")) {
            assertThat(our.headers().firstValue(h).isPresent()).as(what + " has " + h)
                    .isEqualTo(ref.headers().firstValue(h).isPresent());
        }
        for (String h : List.of("Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
                "Access-Control-Allow-Headers")) {
            assertThat(our.headers().allValues(h)).as(what + " " + h).isEqualTo(ref.headers().allValues(h));
        }
        assertThat(blot(our.body(), "our")).as(what + " body").isEqualTo(blot(ref.body(), "ref"));
    }

    /** The body with store indexes and the proxy's key prefix (and in-order key names) replaced. */
    private static String blot(String body, String prefix) {
        return body.replace("/" + prefix, "/P")
                .replaceAll("\"(modifiedIndex|createdIndex|index)\":\\d+", "\"$1\":0")
                .replaceAll("/P/queue/\\d+", "/P/queue/N")
                .replaceAll("\"endpoints\":\\[\"[^\"]*\"]", "\"endpoints\":[E]");
    }

    private static void awaitEndpoint(V2ProxyClient proxy, String memberClientUrl) {
        EtcdCluster.awaitCondition(WAIT, "the proxy forwarding to " + memberClientUrl, () -> {
            try {
                return proxy.get("/v2/config/local/proxy").body().contains(memberClientUrl);
            } catch (AssertionError notListeningYet) {
                return false;
            }
        });
    }

    /** A reference member with the v2 API; returns its client and peer URLs. */
    private String[] startReferenceMember() throws IOException {
        ReferenceEtcd m = ReferenceEtcd.builder().name("m").dir(dir).dataDir(dir.resolve("m.etcd")).flags("--enable-v2")
                .ports(FreePorts::belowEphemeralRange).timeout(WAIT).start();
        open.add(m);
        return new String[] {m.clientUrl(), m.peerUrl()};
    }

    private String startReferenceProxy(String mode, String cluster) throws IOException {
        return startReferenceProxy(mode, cluster, List.of());
    }

    private String startReferenceProxy(String mode, String cluster, List<String> moreFlags) throws IOException {
        String url = "http://127.0.0.1:" + EtcdCluster.freePort();
        List<String> args = new ArrayList<>(List.of("--proxy", mode, "--data-dir", dir.resolve("ref-proxy.etcd").toString(),
                "--initial-cluster", cluster, "--listen-client-urls", url));
        args.addAll(moreFlags);
        open.add(ReferenceEtcd.run(args, dir.resolve("ref-proxy.log")));
        return url;
    }

    private String startOurProxy(String mode, String cluster) throws Exception {
        return startOurProxy(mode, cluster, List.of());
    }

    private String startOurProxy(String mode, String cluster, List<String> moreFlags) throws Exception {
        String url = "http://127.0.0.1:" + EtcdCluster.freePort();
        List<String> args = new ArrayList<>(List.of("--proxy", mode, "--data-dir",
                dir.resolve("our-proxy.etcd").toString(), "--initial-cluster", cluster, "--listen-client-urls", url));
        args.addAll(moreFlags);
        open.add(V2Proxy.start(EtcdConfigParser.parse(args.toArray(String[]::new), Map.of(), StartupLog.NONE),
                DiscoveryClusterTest.FAST, StartupLog.NONE));
        return url;
    }
}
