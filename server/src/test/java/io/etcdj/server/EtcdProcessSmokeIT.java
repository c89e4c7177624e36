package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.testsupport.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/etcd as a process, driven by Debian's etcdctl 3.4 (the reference client): put, get,
 * member list, a clean stop on SIGTERM, and the data still there after a restart. Runs in
 * {@code mvn verify} (failsafe), after the jar and its classpath are packaged.
 */
class EtcdProcessSmokeIT {
    private static final Path BIN_ETCD = Path.of("..", "bin", "etcd").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Process etcd;

    @AfterEach
    void stop() throws InterruptedException {
        if (etcd != null && etcd.isAlive()) {
            etcd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void etcdctlPutsGetsAndListsMembersAndDataSurvivesARestart() throws Exception {
        String etcdctl = Executables.findOnPath("etcdctl");
        assertThat(etcdctl).as("Debian's etcdctl must be installed (apt-get install etcd-client)").isNotNull();
        int clientPort = FreePorts.onLoopback();
        int peerPort = FreePorts.onLoopback();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> args = List.of(BIN_ETCD.toString(), "--name", "smoke", "--data-dir", dir.resolve("smoke.etcd").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "smoke=" + peer);
        String endpoint = "--endpoints=127.0.0.1:" + clientPort;

        etcd = start(args, dir.resolve("etcd-1.log"));
        awaitReady(etcdctl, endpoint);
        assertThat(run(etcdctl, endpoint, "put", "foo", "bar")).isEqualTo("OK\n");
        assertThat(run(etcdctl, endpoint, "get", "foo")).isEqualTo("foo\nbar\n");
        assertThat(run(etcdctl, endpoint, "get", "foo", "--consistency=s")).isEqualTo("foo\nbar\n");
        String table = run(etcdctl, endpoint, "member", "list", "-w", "table");
        assertThat(table).contains("| started | smoke | " + peer + " | " + client + " |");

        etcd.destroy(); // SIGTERM
        assertThat(etcd.waitFor(20, TimeUnit.SECONDS)).as("etcd stops on SIGTERM").isTrue();
        assertThat(Files.readString(dir.resolve("etcd-1.log"))).contains("\"msg\":\"closed etcd server\",\"name\":\"smoke\"");

        etcd = start(args, dir.resolve("etcd-2.log"));
        awaitReady(etcdctl, endpoint);
        assertThat(run(etcdctl, endpoint, "get", "foo")).isEqualTo("foo\nbar\n");
    }

    private static Process start(List<String> args, Path log) throws IOException {
        return new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private void awaitReady(String etcdctl, String endpoint) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            assertThat(etcd.isAlive()).as("etcd is running").isTrue();
            Process p = new ProcessBuilder(etcdctl, endpoint, "--dial-timeout=1s", "--command-timeout=2s",
                    "put", "ready", "1").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("etcd did not serve a put within 60 s");
            }
            Thread.sleep(200); // polling interval of a condition with a deadline
        }
    }

    private static String run(String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s\n%s", cmd, out).isZero();
        return out;
    }

}
