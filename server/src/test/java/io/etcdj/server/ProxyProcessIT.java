package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.testsupport.FreePorts;
import io.etcdj.testsupport.LoggedProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/etcd gateway start} and {@code bin/etcd grpc-proxy start} as processes in front of a
 * one-member cluster, each on a fresh 127.0.0.1 port: Debian's etcdctl writes through one and reads
 * through the other, and the namespaced proxy's keys land under its prefix; with {@code --auto-tls}
 * the gRPC proxy serves TLS with a certificate of its own. Runs in
 * {@code mvn verify} (failsafe), after the jar and its classpath are packaged.
 */
class ProxyProcessIT {
    private static final Path BIN_ETCD = Path.of("..", "bin", "etcd").toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private final List<LoggedProcess> started = new ArrayList<>();
    private ReferenceEtcdctl etcdctl;
    private EtcdCluster cluster;
    /** The one member's client address, "127.0.0.1:port": the proxies' --endpoints. */
    private String member;

    @BeforeEach
    void startOneMemberCluster() throws Exception {
        etcdctl = ReferenceEtcdctl.find();
        cluster = EtcdCluster.start(dir, 1);
        cluster.awaitLeader(WAIT);
        member = cluster.clientUrl(0).replace("http://", "");
    }

    @AfterEach
    void stop() {
        started.forEach(LoggedProcess::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theGatewayAndTheGrpcProxyCommandsServeEtcdctl() throws Exception {
        String gateway = "127.0.0.1:" + FreePorts.onLoopback();
        String proxy = "127.0.0.1:" + FreePorts.onLoopback();
        start("gateway", "start", "--endpoints=" + member, "--listen-addr=" + gateway);
        start("grpc-proxy", "start", "--endpoints=" + member, "--listen-addr=" + proxy, "--namespace=/ns/");
        awaitListening(gateway);
        awaitListening(proxy);

        assertThat(etcdctl.ok(proxy, "put", "k", "through-proxy")).isEqualTo("OK\n");
        assertThat(etcdctl.ok(gateway, "get", "/ns/k", "--print-value-only")).isEqualTo("through-proxy\n");
    }

    @Test
    void theGrpcProxyWithAutoTlsServesEtcdctlOverTls() throws Exception {
        String proxy = "127.0.0.1:" + FreePorts.onLoopback();
        Path dataDir = dir.resolve("proxy.etcd");
        start("grpc-proxy", "start", "--endpoints=" + member, "--listen-addr=" + proxy, "--auto-tls",
                "--data-dir=" + dataDir);
        awaitListening(proxy);

        // as etcd's: a self-signed certificate under <data-dir>/fixtures/proxy, so clients skip verification
        assertThat(dataDir.resolve("fixtures/proxy/cert.pem")).isRegularFile();
        String via = "https://" + proxy;
        assertThat(etcdctl.ok(via, "--insecure-transport=false", "--insecure-skip-tls-verify", "put", "k", "tls"))
                .isEqualTo("OK\n");
        assertThat(etcdctl.ok(member, "get", "k", "--print-value-only")).isEqualTo("tls\n");
    }

    private void start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(BIN_ETCD.toString()));
        cmd.addAll(List.of(args));
        started.add(LoggedProcess.start(cmd, Files.createTempFile(dir, "proxy", ".log")));
    }

    private static void awaitListening(String hostPort) {
        String[] hp = hostPort.split(":");
        EtcdCluster.awaitCondition(WAIT, hostPort + " accepting connections", () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 1000);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
