package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.etcdj.server.config.EtcdConfigParser;
import io.etcdj.server.config.StartupLog;
import io.etcdj.server.proxy.v2.V2Proxy;
import io.etcdj.testsupport.OpenResources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v2 proxy's timing flags against a fake peer that answers etcd's {@code GET /members}, whose
 * answer the scenario changes: {@code --proxy-refresh-interval} is how soon the proxy forwards to
 * a member the cluster gained, and {@code --proxy-dial-timeout} how long a request waits for a
 * member whose listen queue is full (a host that drops connection attempts) before it gives up.
 */
class V2ProxyTimingFlagsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    @RegisterExtension
    final OpenResources open = new OpenResources();
    private final AtomicReference<List<String>> clientUrls = new AtomicReference<>(List.of());

    @Test
    void theRefreshIntervalIsHowSoonANewMemberIsUsed() throws Exception {
        String peer = fakePeer();
        clientUrls.set(List.of("http://127.0.0.1:40001"));
        V2ProxyClient proxy = startProxy(peer, "--proxy-refresh-interval", "200");
        EtcdCluster.awaitCondition(WAIT, "the first member", () -> endpoints(proxy).contains("http://127.0.0.1:40001"));

        clientUrls.set(List.of("http://127.0.0.1:40001", "http://127.0.0.1:40002"));
        EtcdCluster.awaitCondition(WAIT, "the member added", () -> endpoints(proxy).contains("http://127.0.0.1:40002"));
    }

    @Test
    void withTheDefaultIntervalANewMemberIsNotUsedSoon() throws Exception {
        String peer = fakePeer();
        clientUrls.set(List.of("http://127.0.0.1:40001"));
        V2ProxyClient proxy = startProxy(peer); // etcd's default: every 30 s
        EtcdCluster.awaitCondition(WAIT, "the first member", () -> endpoints(proxy).contains("http://127.0.0.1:40001"));

        clientUrls.set(List.of("http://127.0.0.1:40001", "http://127.0.0.1:40002"));
        for (int i = 0; i < 10; i++) { // the control: ten looks within far less than 30 s
            assertThat(endpoints(proxy)).isEqualTo("{\"endpoints\":[\"http://127.0.0.1:40001\"]}\n");
        }
    }

    @Test
    void aMemberThatDropsConnectionAttemptsCostsTheDialTimeout() throws Exception {
        String member = memberWithAFullListenQueue();
        String peer = fakePeer();
        clientUrls.set(List.of(member));
        V2ProxyClient proxy = startProxy(peer, "--proxy-dial-timeout", "300");
        EtcdCluster.awaitCondition(WAIT, "the member", () -> endpoints(proxy).contains(member));

        long start = System.nanoTime();
        HttpResponse<String> r = proxy.get("/v2/keys/k");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("{\"message\":\"httpproxy: unable to get response from 1 endpoint(s)\"}");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(10));
    }

    private V2ProxyClient startProxy(String peerUrl, String... extra) throws Exception {
        String url = "http://127.0.0.1:" + EtcdCluster.freePort();
        List<String> args = new ArrayList<>(List.of("--proxy", "on", "--data-dir", dir.resolve("proxy").toString(),
                "--initial-cluster", "m=" + peerUrl, "--listen-client-urls", url));
        args.addAll(List.of(extra));
        V2Proxy p = V2Proxy.start(EtcdConfigParser.parse(args.toArray(String[]::new), Map.of(), StartupLog.NONE),
                DiscoveryClusterTest.FAST, StartupLog.NONE);
        open.add(p);
        return new V2ProxyClient(url);
    }

    private static String endpoints(V2ProxyClient proxy) {
        return proxy.get("/v2/config/local/proxy").body();
    }

    /** etcd's peer {@code GET /members}: one member with the client URLs the scenario sets. */
    private String fakePeer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String self = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/members", ex -> {
            StringBuilder clients = new StringBuilder();
            for (String u : clientUrls.get()) {
                clients.append(clients.length() == 0 ? "" : ",").append('"').append(u).append('"');
            }
            byte[] body = ("[{\"id\":1,\"name\":\"m\",\"peerURLs\":[\"" + self + "\"],\"clientURLs\":[" + clients + "]}]")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("X-Etcd-Cluster-Id", "abcd");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        open.add(() -> server.stop(0));
        return self;
    }

    /**
     * A listening socket that never accepts, its queue filled: Linux then drops further connection
     * attempts, so a connect waits until its own timeout.
     */
    private String memberWithAFullListenQueue() throws IOException {
        ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        open.add(server);
        InetSocketAddress at = (InetSocketAddress) server.getLocalSocketAddress();
        boolean full = false;
        for (int i = 0; i < 8 && !full; i++) {
            Socket filler = new Socket();
            open.add(filler);
            try {
                filler.connect(at, 200);
            } catch (IOException dropped) {
                full = true; // from now on attempts are dropped
            }
        }
        assertThat(full).as("the listen queue filled up").isTrue();
        return "http://127.0.0.1:" + at.getPort();
    }
}
