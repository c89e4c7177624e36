package io.etcdj.etcdctl.golden;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single-member etcd as a real process on 127.0.0.1 with free ports and a temporary data dir: the
 * reference (Debian's etcd 3.4, {@link #start}) or ours ({@link #startOurs}, this JVM's classpath);
 * {@link #close()} always kills it and removes the directory.
 */
final class EtcdProcess implements AutoCloseable {
    private Process process;
    private final Path dir;
    private final Path dataDir;
    private final int clientPort;
    /** The command line it was started with, for {@link #restart}. */
    private final List<String> cmd;
    private final List<String> probeFlags;

    private EtcdProcess(Process process, Path dir, Path dataDir, int clientPort, List<String> cmd, List<String> probeFlags) {
        this.process = process;
        this.dir = dir;
        this.dataDir = dataDir;
        this.clientPort = clientPort;
        this.cmd = cmd;
        this.probeFlags = probeFlags;
    }

    /** The reference etcd. */
    static EtcdProcess start(String... extraFlags) throws Exception {
        requireOnPath("etcd");
        requireOnPath("etcdctl");
        return start(List.of("etcd"), extraFlags);
    }

    /** The reference etcd on {@code dataDir}, which {@link #close()} leaves in place. */
    static EtcdProcess startOn(Path dataDir, String... extraFlags) throws Exception {
        requireOnPath("etcd");
        return start(List.of("etcd"), "http", List.of(), dataDir, extraFlags);
    }

    /** Our etcd, run from the classes this test runs with. */
    static EtcdProcess startOurs(String... extraFlags) throws Exception {
        return startOursOn(null, extraFlags);
    }

    /** Our etcd on {@code dataDir} (null: a new one of its own); {@link #close()} leaves a given one in place. */
    static EtcdProcess startOursOn(Path dataDir, String... extraFlags) throws Exception {
        return startOursOn(dataDir, List.of(), extraFlags);
    }

    /**
     * Our etcd on {@code dataDir}, its health probed with {@code probeFlags} added to etcdctl's (e.g.
     * {@code --user} when the data dir has auth enabled: etcdctl's health check needs a user then).
     */
    static EtcdProcess startOursOn(Path dataDir, List<String> probeFlags, String... extraFlags) throws Exception {
        requireOnPath("etcdctl");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return start(List.of(java, "-cp", System.getProperty("java.class.path"), "io.etcdj.server.EtcdMain"),
                "http", probeFlags, dataDir, extraFlags);
    }

    /**
     * The reference etcd serving clients over TLS only, with {@code cert}/{@code key} and requiring client
     * certificates signed by {@code cert} (a self-signed pair acting as its own CA).
     */
    static EtcdProcess startTls(Path cert, Path key, String... extraFlags) throws Exception {
        requireOnPath("etcd");
        List<String> flags = new java.util.ArrayList<>(List.of("--cert-file", cert.toString(), "--key-file", key.toString(),
                "--client-cert-auth", "--trusted-ca-file", cert.toString()));
        flags.addAll(List.of(extraFlags));
        return start(List.of("etcd"), "https", List.of("--cacert", cert.toString(), "--cert", cert.toString(),
                "--key", key.toString()), null, flags.toArray(new String[0]));
    }

    private static EtcdProcess start(List<String> launcher, String... extraFlags) throws Exception {
        return start(launcher, "http", List.of(), null, extraFlags);
    }

    private static EtcdProcess start(List<String> launcher, String scheme, List<String> probeFlags, Path givenDataDir,
                                     String... extraFlags) throws Exception {
        Path dir = Files.createTempDirectory("etcdctl-golden");
        Path dataDir = givenDataDir != null ? givenDataDir : dir.resolve("data");
        int client = freePort();
        int peer = freePort();
        List<String> cmd = new java.util.ArrayList<>(launcher);
        cmd.addAll(List.of("--name", "golden",
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", scheme + "://127.0.0.1:" + client,
                "--advertise-client-urls", scheme + "://127.0.0.1:" + client,
                "--listen-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peer,
                "--initial-cluster", "golden=http://127.0.0.1:" + peer));
        cmd.addAll(List.of(extraFlags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("etcd.log").toFile()).start();
        EtcdProcess e = new EtcdProcess(p, dir, dataDir, client, List.copyOf(cmd), probeFlags);
        try {
            e.awaitHealthy(Duration.ofSeconds(60), probeFlags);
        } catch (Exception ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    /** Fails loudly: the golden suite is meaningless without the reference tools. */
    static void requireOnPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(File.pathSeparator)) {
            if (new File(d, tool).canExecute()) {
                return;
            }
        }
        throw new AssertionError("the reference '" + tool + "' (Debian etcd-server/etcd-client 3.4) is not on PATH; "
                + "install it with: apt-get install -y etcd-server etcd-client");
    }

    private void awaitHealthy(Duration limit, List<String> probeFlags) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("etcd exited: " + Files.readString(dir.resolve("etcd.log")));
            }
            List<String> probeCmd = new java.util.ArrayList<>(List.of("etcdctl", "--endpoints", endpoint(),
                    "--command-timeout=1s"));
            probeCmd.addAll(probeFlags);
            probeCmd.addAll(List.of("endpoint", "health"));
            Process probe = new ProcessBuilder(probeCmd).redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            if (probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new IllegalStateException("etcd did not become healthy within " + limit);
    }

    /** Waits until the member counts at least n watchers (etcd_debugging_mvcc_watcher_total in /metrics). */
    void awaitWatchers(int n, Duration limit) throws Exception {
        awaitMetric("etcd_debugging_mvcc_watcher_total", n, limit);
    }

    /** Waits until a gauge in the member's /metrics reaches at least n. */
    void awaitMetric(String gauge, int n, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://" + endpoint() + "/metrics")).build();
        while (Instant.now().isBefore(deadline)) {
            String metrics = http.send(get, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            for (String line : metrics.split("\n")) {
                if (line.startsWith(gauge + " ")
                        && Double.parseDouble(line.substring(line.indexOf(' ') + 1)) >= n) {
                    return;
                }
            }
            process.waitFor(20, TimeUnit.MILLISECONDS);
        }
        throw new IllegalStateException("etcd's " + gauge + " did not reach " + n + " within " + limit);
    }

    String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** The member's data dir. */
    Path dataDir() {
        return dataDir;
    }

    /** The member's log (its stdout and stderr). */
    String log() throws IOException {
        return Files.readString(dir.resolve("etcd.log"));
    }

    /**
     * Stops the member as SIGTERM does and starts it again with the same command line (same ports,
     * same data dir), waiting until it is healthy; its log goes on in the same file.
     */
    void restart() throws Exception {
        stop();
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile())).start();
        awaitHealthy(Duration.ofSeconds(60), probeFlags);
    }

    /** Stops the member as SIGTERM does (it closes its WAL and backend); its files stay until {@link #close()}. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        } catch (IOException e) {
            // best effort
        }
    }
}
