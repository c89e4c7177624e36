package io.etcdj.server.v2.http;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The reference etcd 3.4 (Debian's /usr/bin/etcd) started with --enable-v2 on 127.0.0.1 with a
 * temporary data dir; {@link #close()} always stops it and deletes the dir. Fails (never skips)
 * when the binary is missing.
 */
final class ReferenceEtcd implements AutoCloseable {
    final int clientPort;
    final int peerPort;
    private final Path dataDir;
    private final Process process;

    ReferenceEtcd() throws IOException, InterruptedException {
        this(binary("etcd"));
    }

    /** The same flags given to another etcd binary (our bin/etcd, for process-level comparisons). */
    ReferenceEtcd(String bin) throws IOException, InterruptedException {
        clientPort = freePort();
        peerPort = freePort();
        dataDir = Files.createTempDirectory("etcdj-v2-ref");
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        process = new ProcessBuilder(bin, "--enable-v2", "--name", "default",
                "--data-dir", dataDir.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "default=" + peer)
                .redirectErrorStream(true).redirectOutput(dataDir.resolve("etcd.log").toFile()).start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (true) {
            try {
                RawHttp.Reply r = RawHttp.send(clientPort, "GET", "/health", null, null, 2000);
                if (r.status() == 200 && r.body().contains("true")) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("reference etcd did not become healthy; log: "
                        + Files.readString(dataDir.resolve("etcd.log")));
            }
            Thread.onSpinWait();
        }
    }

    String clientUrl() { return "http://127.0.0.1:" + clientPort; }
    String peerUrl() { return "http://127.0.0.1:" + peerPort; }

    static String binary(String name) {
        for (String dir : List.of("/usr/bin", "/usr/local/bin")) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        throw new AssertionError("the reference " + name + " is required (apt-get install etcd-server etcd-client)");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var walk = Files.walk(dataDir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
