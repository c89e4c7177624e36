package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.testsupport.LoggedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/etcd} as a v2 proxy process in front of one etcdj member with the v2 API: started
 * with {@code --proxy on}, and started as a member whose discovery token is already full (etcd's
 * default {@code --discovery-fallback=proxy}). Runs in {@code mvn verify} (failsafe), after the
 * jar and its classpath are packaged.
 */
class V2ProxyProcessIT {
    private static final Path BIN_ETCD = Path.of("..", "bin", "etcd").toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final List<LoggedProcess> started = new ArrayList<>();

    @AfterEach
    void stop() {
        started.forEach(LoggedProcess::close);
    }

    @Test
    void binEtcdProxyOnAndTheDiscoveryFallbackServeTheV2Api() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir.resolve("cluster"), 1, 10_000, 5_000, s -> s.withEnableV2(true));
             DiscoveryService service = DiscoveryService.start(dir.resolve("service"))) {
            c.awaitLeader(WAIT);
            String peer = c.member(0).settings().advertisePeerUrls().get(0);
            EtcdCluster.awaitCondition(WAIT, "the member published", () ->
                    new V2ProxyClient(c.clientUrl(0)).get("/v2/members").body().contains(c.clientUrl(0)));

            String proxyUrl = "http://127.0.0.1:" + EtcdCluster.freePort();
            Path proxyLog = start("proxy", "--proxy", "on", "--data-dir", dir.resolve("proxy.etcd").toString(),
                    "--initial-cluster", "m=" + peer, "--listen-client-urls", proxyUrl);
            V2ProxyClient proxy = awaitServing(proxyUrl, proxyLog);
            assertThat(proxy.putKey("k", "through-bin-etcd").statusCode()).isEqualTo(201);
            assertThat(new V2ProxyClient(c.clientUrl(0)).get("/v2/keys/k").body()).contains("through-bin-etcd");
            assertThat(Files.readString(proxyLog)).contains("\"msg\":\"v2 API proxy starting\"",
                    "\"msg\":\"proxy using peer URLS\"", "\"msg\":\"v2 proxy started listening on client requests\"");

            String token = service.newToken(1);
            service.put(token + "/" + Long.toHexString(c.server(0).memberId()), "m=" + peer);
            String lateClient = "http://127.0.0.1:" + EtcdCluster.freePort();
            String latePeer = "http://127.0.0.1:" + EtcdCluster.freePort();
            Path lateLog = start("late", "--name", "late", "--data-dir", dir.resolve("late.etcd").toString(),
                    "--discovery", token, "--listen-client-urls", lateClient, "--advertise-client-urls", lateClient,
                    "--listen-peer-urls", latePeer, "--initial-advertise-peer-urls", latePeer);
            V2ProxyClient late = awaitServing(lateClient, lateLog);
            assertThat(late.get("/v2/keys/k").body()).contains("through-bin-etcd");
            assertThat(Files.readString(lateLog)).contains("\"level\":\"warn\"",
                    "\"msg\":\"discovery cluster is full, falling back to proxy\",\"fallback-proxy\":\"proxy\","
                            + "\"error\":\"failed to join discovery cluster (discovery: cluster is full)\"");
            assertThat(dir.resolve("late.etcd/proxy/cluster")).exists();
        }
    }

    private Path start(String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(BIN_ETCD.toString()));
        cmd.addAll(List.of(args));
        Path log = dir.resolve(name + ".log");
        started.add(LoggedProcess.start(cmd, log));
        return log;
    }

    private V2ProxyClient awaitServing(String url, Path log) {
        V2ProxyClient client = new V2ProxyClient(url);
        EtcdCluster.awaitCondition(WAIT, url + " forwarding (log: " + log + ")", () -> {
            try {
                return client.get("/v2/config/local/proxy").body().contains("http://");
            } catch (AssertionError notYet) {
                return false;
            }
        });
        return client;
    }
}
