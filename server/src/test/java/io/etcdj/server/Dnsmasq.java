package io.etcdj.server;

import io.etcdj.server.bootstrap.DnsLookup;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: Debian's dnsmasq answering on 127.0.0.1 at a free high port, with only the
 * records given (no upstream servers, no /etc/hosts, no /etc/dnsmasq.conf). ./test-all installs
 * it (package dnsmasq-base).
 */
final class Dnsmasq implements AutoCloseable {
    /** A record every instance holds, to tell when it answers. */
    private static final String PROBE = "dnsmasq-probe.test";
    private final Process process;
    private final int port;

    private Dnsmasq(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts dnsmasq with these config lines ("srv-host=...", "host-record=..."). */
    static Dnsmasq start(Path dir, List<String> records) throws IOException, InterruptedException {
        int port = freeUdpPort();
        Path conf = dir.resolve("dnsmasq-" + port + ".conf");
        List<String> lines = new ArrayList<>(records);
        lines.add("host-record=" + PROBE + ",127.0.0.1"); // answered once dnsmasq serves
        Files.write(conf, lines);
        List<String> cmd = new ArrayList<>(List.of(findDnsmasq(), "--keep-in-foreground", "--conf-file=" + conf,
                "--no-resolv", "--no-hosts", "--no-poll", "--pid-file=", "--user=root", "--bind-interfaces",
                "--listen-address=127.0.0.1", "--port=" + port, "--log-facility=-", "--log-queries"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("dnsmasq-" + port + ".log").toFile()).start();
        Dnsmasq d = new Dnsmasq(p, port);
        DnsLookup lookup = new DnsLookup(d.server());
        EtcdCluster.awaitCondition(Duration.ofSeconds(10), "dnsmasq answering on port " + port, () -> {
            if (!p.isAlive()) {
                throw new AssertionError("dnsmasq exited: see " + dir.resolve("dnsmasq-" + port + ".log"));
            }
            try {
                return lookup.resolve(PROBE).equals("127.0.0.1");
            } catch (UnknownHostException e) {
                return false; // no answer yet
            }
        });
        return d;
    }

    /** "127.0.0.1:port", as ETCDJ_DNS_SERVER takes it. */
    String server() {
        return "127.0.0.1:" + port;
    }

    private static String findDnsmasq() {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin")) {
            if (Files.isExecutable(Path.of(dir, "dnsmasq"))) {
                return dir + "/dnsmasq";
            }
        }
        throw new AssertionError("dnsmasq must be installed (apt-get install dnsmasq-base; ./test-all does)");
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
