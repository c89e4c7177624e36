package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/etcd's exit codes and streams for the cases that do not need a running member. */
class EtcdMainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return EtcdMain.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void versionExitsZero() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("etcd Version: 3.5.17\n");
    }

    @Test
    void helpExitsZero() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--initial-cluster-token 'etcd-cluster'");
    }

    @Test
    void anUnknownFlagExitsTwo() {
        assertThat(run("--bogus")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("flag provided but not defined: -bogus\n");
    }

    @Test
    void anInvalidConfigurationExitsOne() {
        assertThat(run("--election-timeout", "10")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("\"msg\":\"failed to verify flags\"");
    }

    @Test
    void aBootstrapMismatchExitsOne() {
        assertThat(run("--data-dir", dir.resolve("d").toString(),
                "--initial-advertise-peer-urls", "http://127.0.0.1:23800")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("\"msg\":\"discovery failed\"");
    }

    @Test
    void anAuthTokenTheMemberCannotServeWithStopsStartUpAsEtcdDoes() {
        assertThat(run("--data-dir", dir.resolve("d").toString(),
                "--auth-token", "jwt,pub-key=/nonexistent.pub,priv-key=/nonexistent.key,sign-method=RS256")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("\"msg\":\"discovery failed\"")
                .contains("\"error\":\"auth: invalid auth options\"");
        assertThat(dir.resolve("d")).doesNotExist();
    }

    @Test
    void aCipherSuiteGoDoesNotKnowStopsStartUpAsEtcdDoes() {
        assertThat(run("--data-dir", dir.resolve("d").toString(),
                "--cipher-suites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,BOGUS")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("\"msg\":\"discovery failed\"")
                .contains("\"error\":\"unexpected TLS cipher suite \\\"BOGUS\\\"\"");
        assertThat(dir.resolve("d")).doesNotExist();
    }

    @Test
    void aValidConfigurationWhoseClientPortIsTakenExitsOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            String client = "http://127.0.0.1:" + taken.getLocalPort();
            String peer = "http://127.0.0.1:" + free.getLocalPort();
            free.close();
            assertThat(run("--data-dir", dir.resolve("d").toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", "default=" + peer)).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("etcd: cannot start:");
        }
    }
}
