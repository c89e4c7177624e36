package io.etcdj.etcdctl.golden;

import io.etcdj.testsupport.Await;
import io.etcdj.testsupport.ReferenceEtcd;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-member etcd as a real process on 127.0.0.1 with free ports and a temporary data dir: the
 * reference (Debian's etcd 3.4, {@link #start}) or ours ({@link #startOurs}, this JVM's classpath),
 * counted as started once Debian's {@code etcdctl endpoint health} succeeds against it (the shared
 * {@link ReferenceEtcd} fixture with that probe); {@link #close()} always kills it and removes the
 * directory.
 */
final class EtcdProcess implements AutoCloseable {
    private final ReferenceEtcd etcd;

    private EtcdProcess(ReferenceEtcd etcd) {
        this.etcd = etcd;
    }

    /** The reference etcd. */
    static EtcdProcess start(String... extraFlags) throws Exception {
        requireOnPath("etcdctl");
        return start(ReferenceEtcd.builder(), List.of(), null, extraFlags);
    }

    /** The reference etcd on {@code dataDir}, which {@link #close()} leaves in place. */
    static EtcdProcess startOn(Path dataDir, String... extraFlags) throws Exception {
        return start(ReferenceEtcd.builder(), List.of(), dataDir, extraFlags);
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
        return start(ReferenceEtcd.builder().launcher(java, "-cp", System.getProperty("java.class.path"),
                "io.etcdj.server.EtcdMain"), probeFlags, dataDir, extraFlags);
    }

    /**
     * The reference etcd serving clients over TLS only, with {@code cert}/{@code key} and requiring client
     * certificates signed by {@code cert} (a self-signed pair acting as its own CA).
     */
    static EtcdProcess startTls(Path cert, Path key, String... extraFlags) throws Exception {
        return start(ReferenceEtcd.builder().clientScheme("https").flags("--cert-file", cert.toString(),
                        "--key-file", key.toString(), "--client-cert-auth", "--trusted-ca-file", cert.toString()),
                List.of("--cacert", cert.toString(), "--cert", cert.toString(), "--key", key.toString()), null, extraFlags);
    }

    private static EtcdProcess start(ReferenceEtcd.Builder member, List<String> probeFlags, Path dataDir,
                                     String... extraFlags) throws IOException {
        if (dataDir != null) {
            member.dataDir(dataDir);
        }
        return new EtcdProcess(member.name("golden").flags(extraFlags)
                .readyWhen(e -> healthyToEtcdctl(e, probeFlags)).start());
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

    /** Whether {@code etcdctl endpoint health} (with {@code probeFlags}) succeeds against the member now. */
    private static boolean healthyToEtcdctl(ReferenceEtcd etcd, List<String> probeFlags) {
        List<String> probeCmd = new ArrayList<>(List.of("etcdctl", "--endpoints", etcd.endpoint(), "--command-timeout=1s"));
        probeCmd.addAll(probeFlags);
        probeCmd.addAll(List.of("endpoint", "health"));
        try {
            Process probe = new ProcessBuilder(probeCmd).redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            return probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the member counts at least n watchers (etcd_debugging_mvcc_watcher_total in /metrics). */
    void awaitWatchers(int n, Duration limit) {
        awaitMetric("etcd_debugging_mvcc_watcher_total", n, limit);
    }

    /** Waits until a gauge in the member's /metrics reaches at least n. */
    void awaitMetric(String gauge, int n, Duration limit) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://" + endpoint() + "/metrics")).build();
        Await.until(limit, "etcd's " + gauge + " to reach " + n, () -> {
            String metrics;
            try {
                metrics = http.send(get, HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException | InterruptedException e) {
                throw new AssertionError("GET /metrics failed", e);
            }
            for (String line : metrics.split("\n")) {
                if (line.startsWith(gauge + " ")
                        && Double.parseDouble(line.substring(line.indexOf(' ') + 1)) >= n) {
                    return true;
                }
            }
            return false;
        });
    }

    String endpoint() {
        return etcd.endpoint();
    }

    /** The member's data dir. */
    Path dataDir() {
        return etcd.dataDir();
    }

    /** The member's log (its stdout and stderr). */
    String log() {
        return etcd.log();
    }

    /**
     * Stops the member as SIGTERM does and starts it again with the same command line (same ports,
     * same data dir), waiting until it is healthy; its log goes on in the same file.
     */
    void restart() throws Exception {
        etcd.restart();
    }

    /** Stops the member as SIGTERM does (it closes its WAL and backend); its files stay until {@link #close()}. */
    void stop() {
        etcd.stop();
    }

    @Override
    public void close() {
        etcd.close();
    }
}
