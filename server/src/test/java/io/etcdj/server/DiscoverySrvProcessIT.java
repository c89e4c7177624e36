package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.testsupport.FreePorts;
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
 * The seed's DNS discovery, with bin/etcd as processes: dnsmasq holds
 * {@code _etcd-server._tcp.example.com} SRV records for etcd1..3.example.com (127.0.0.1..3), and
 * three members started with {@code --discovery-srv example.com} and host-name advertise URLs
 * form one cluster. ETCDJ_DNS_SERVER points the SRV lookups at dnsmasq; the JVM's own resolver
 * (which the peer transport dials through) gets the same names from a hosts file
 * ({@code -Djdk.net.hosts.file}), standing in for a system resolver that knows them.
 * Runs in {@code mvn verify} (failsafe), after the jar is packaged.
 */
class DiscoverySrvProcessIT {
    private static final Path BIN_ETCD = Path.of("..", "bin", "etcd").toAbsolutePath().normalize();
    private static final String ETCDCTL = "/usr/bin/etcdctl";

    @TempDir
    Path dir;
    private final List<Process> members = new ArrayList<>();
    private Dnsmasq dns;

    @AfterEach
    void stop() throws Exception {
        for (Process p : members) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void threeMembersWithDiscoverySrvFormOneCluster() throws Exception {
        assertThat(Files.isExecutable(Path.of(ETCDCTL))).as("Debian's etcdctl must be installed").isTrue();
        int[] peerPort = new int[4];
        int[] clientPort = new int[4];
        List<String> records = new ArrayList<>();
        List<String> hosts = new ArrayList<>(List.of("127.0.0.1 localhost"));
        for (int i = 1; i <= 3; i++) {
            peerPort[i] = FreePorts.on("127.0.0." + i);
            clientPort[i] = FreePorts.on("127.0.0." + i);
            records.add("srv-host=_etcd-server._tcp.example.com,etcd" + i + ".example.com," + peerPort[i]);
            records.add("host-record=etcd" + i + ".example.com,127.0.0." + i);
            hosts.add("127.0.0." + i + " etcd" + i + ".example.com");
        }
        dns = Dnsmasq.start(dir, records);
        Path hostsFile = Files.write(dir.resolve("hosts"), hosts);

        for (int i = 1; i <= 3; i++) {
            String host = "etcd" + i + ".example.com";
            ProcessBuilder pb = new ProcessBuilder(BIN_ETCD.toString(), "--name", "etcd" + i,
                    "--data-dir", dir.resolve("etcd" + i + ".etcd").toString(),
                    "--discovery-srv", "example.com",
                    "--initial-advertise-peer-urls", "http://" + host + ":" + peerPort[i],
                    "--initial-cluster-token", "etcd-cluster-1", "--initial-cluster-state", "new",
                    "--advertise-client-urls", "http://" + host + ":" + clientPort[i],
                    "--listen-client-urls", "http://127.0.0." + i + ":" + clientPort[i],
                    "--listen-peer-urls", "http://127.0.0." + i + ":" + peerPort[i])
                    .redirectErrorStream(true).redirectOutput(dir.resolve("etcd" + i + ".log").toFile());
            pb.environment().put("ETCDJ_DNS_SERVER", dns.server());
            pb.environment().put("ETCDJ_JAVA_OPTS", "-Djdk.net.hosts.file=" + hostsFile);
            members.add(pb.start());
        }
        String all = "--endpoints=127.0.0.1:" + clientPort[1] + ",127.0.0.2:" + clientPort[2] + ",127.0.0.3:"
                + clientPort[3];
        awaitPut("--endpoints=127.0.0.1:" + clientPort[1]);

        // Until a member has published itself, the others list it under the name SRV bootstrap gave
        // it (its index, as etcd does) and without client URLs: wait for all three to publish.
        String list = awaitMemberList(all, 3);
        for (int i = 1; i <= 3; i++) {
            assertThat(list).contains(", etcd" + i + ", http://etcd" + i + ".example.com:" + peerPort[i] + ", ");
        }
        assertThat(run(ETCDCTL, "--endpoints=127.0.0.1:" + clientPort[1], "put", "seed", "003")).isEqualTo("OK\n");
        assertThat(run(ETCDCTL, "--endpoints=127.0.0.3:" + clientPort[3], "get", "seed")).isEqualTo("seed\n003\n");
        assertThat(Files.readString(dir.resolve("etcd2.log")))
                .contains("got bootstrap from DNS for etcd-server", "etcd2=http://etcd2.example.com:" + peerPort[2]);
    }

    private void awaitPut(String endpoint) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            for (Process m : members) {
                assertThat(m.isAlive()).as("every member is running (logs in %s)", dir).isTrue();
            }
            Process p = new ProcessBuilder(ETCDCTL, endpoint, "--dial-timeout=1s", "--command-timeout=2s",
                    "put", "ready", "1").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() == 0) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the SRV-bootstrapped cluster did not serve a put within 60 s");
            }
            Thread.sleep(200); // polling interval of a condition with a deadline
        }
    }

    /** The member list once every one of {@code n} members shows client URLs (waits up to 30 s). */
    private static String awaitMemberList(String endpoints, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            String list = run(ETCDCTL, endpoints, "member", "list");
            boolean allPublished = list.lines().filter(l -> !l.isBlank()).count() == n
                    && list.lines().filter(l -> !l.isBlank()).noneMatch(l -> l.contains(", , "));
            if (allPublished || System.nanoTime() - deadline > 0) {
                return list;
            }
            Thread.sleep(100); // polling a condition, with the deadline above
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s\n%s", List.of(command), out).isZero();
        return out;
    }
}
