package io.etcdj.server.gateway;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference etcd 3.4 started on 127.0.0.1 with a temporary data dir; {@link #close()} stops
 * it and deletes the dir. Throws (the test fails, never skips) when the binary is missing.
 */
public final class ReferenceEtcd implements AutoCloseable {
    public final int clientPort;
    private final Path dir;
    private final Process process;

    public ReferenceEtcd() throws IOException {
        this(new String[0]);
    }

    /** With {@code extraFlags} after the single-member flags (e.g. "--enable-v2", "--cors=..."). */
    public ReferenceEtcd(String... extraFlags) throws IOException {
        this(List.of(), extraFlags);
    }

    /**
     * Also serving clients on {@code moreClientUrls} (an https URL with the TLS flags among
     * {@code extraFlags}), beside the plain one that tells when it is ready.
     */
    public ReferenceEtcd(List<String> moreClientUrls, String... extraFlags) throws IOException {
        String bin = binary();
        clientPort = freePort();
        int peerPort = freePort();
        dir = Files.createTempDirectory("etcdj-gateway-ref");
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = new java.util.ArrayList<>(List.of(bin, "--name", "default",
                "--data-dir", dir.resolve("data").toString(),
                "--listen-client-urls", String.join(",", java.util.stream.Stream.concat(
                        java.util.stream.Stream.of(client), moreClientUrls.stream()).toList()),
                "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "default=" + peer));
        command.addAll(List.of(extraFlags));
        process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(dir.resolve("etcd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                HttpReply r = RawHttp.exchange(clientPort, "GET", "/health", List.of(), null);
                if (r.status() == 200 && r.body().contains("true")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(dir.resolve("etcd.log"));
                close();
                throw new IllegalStateException("reference etcd did not become healthy; log:\n" + log);
            }
            waitBriefly();
        }
    }

    /** The pause between health probes (polling a condition; the loop above holds the deadline). */
    private static void waitBriefly() {
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }

    static String binary() {
        for (String d : List.of("/usr/bin", "/usr/local/bin")) {
            File f = new File(d, "etcd");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        throw new AssertionError("the reference etcd 3.4 is required (apt-get install etcd-server)");
    }

    /** What it wrote to stdout and stderr so far. */
    public String log() throws IOException {
        return Files.readString(dir.resolve("etcd.log"));
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
