package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.etcdj.server.bootstrap.DiscoveryRetry;
import io.etcdj.server.bootstrap.EtcdDiscovery;
import io.etcdj.server.config.MemberIds;
import io.etcdj.server.config.StartupLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --discovery-proxy: every discovery request goes through the given HTTP proxy. */
class DiscoveryProxyTest {
    @TempDir
    Path root;
    DiscoveryService service;
    HttpServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(0);
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void theDiscoveryRequestsGoThroughTheProxy() throws Exception {
        service = DiscoveryService.start(root);
        String token = service.newToken(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        proxy = forwardingProxy(seen);
        String peer = "http://127.0.0.2:2380";

        String cluster = new EtcdDiscovery(token, "http://127.0.0.1:" + proxy.getAddress().getPort(),
                MemberIds.memberId(List.of(peer), token), new DiscoveryRetry(1, Duration.ofMillis(1), 1),
                StartupLog.NONE).joinCluster("solo=" + peer);

        assertThat(cluster).isEqualTo("solo=" + peer);
        String self = Long.toHexString(MemberIds.memberId(List.of(peer), token));
        assertThat(seen).contains("GET " + token + "/_config/size", "GET " + token,
                "PUT " + token + "/" + self + "?prevExist=false");
    }

    /** A plain HTTP forward proxy: takes absolute-URI requests, replays them, records "METHOD uri". */
    static HttpServer forwardingProxy(List<String> seen) throws IOException {
        HttpClient upstream = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", (HttpExchange ex) -> {
            URI target = ex.getRequestURI();
            seen.add(ex.getRequestMethod() + " " + target);
            try {
                byte[] body = ex.getRequestBody().readAllBytes();
                HttpRequest.Builder b = HttpRequest.newBuilder(target).method(ex.getRequestMethod(),
                        body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                if (type != null) {
                    b.header("Content-Type", type);
                }
                HttpResponse<byte[]> r = upstream.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                r.headers().firstValue("X-Etcd-Index").ifPresent(v -> ex.getResponseHeaders().add("X-Etcd-Index", v));
                ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
            } finally {
                ex.close();
            }
        });
        server.start();
        return server;
    }
}
