package io.etcdj.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.testsupport.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tarball `mvn package` builds, unpacked far from the source tree, is an installation: its
 * launchers find their jars in its lib/, the first launch of bin/etcd records the member's
 * class-data archive in lib/ (in the background) and later launches map it, bin/etcd starts from
 * the sample cfg/etcd.conf.yml (moved to free loopback ports), and bin/etcdctl writes and reads
 * through it.
 */
class DistributionTarballIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** A training on a loaded 2-core machine takes 10-30 s. */
    private static final Duration TRAINING_DEADLINE = Duration.ofSeconds(180);

    @TempDir
    Path elsewhere;

    @Test
    void theUnpackedTarballServesAPutAndAGetWithItsSampleConfiguration() throws Exception {
        Path tarball = Path.of(System.getProperty("dist.tarball"));
        run(elsewhere, "tar", "-xzf", tarball.toString());
        Path home;
        try (Stream<Path> unpacked = Files.list(elsewhere)) {
            home = unpacked.filter(p -> p.getFileName().toString().startsWith("etcdj-")).findFirst().orElseThrow();
        }
        for (String file : List.of("bin/etcd", "bin/etcdctl", "bin/etcdutl", "bin/benchmark", "bin/_launch")) {
            assertThat(home.resolve(file)).isExecutable();
        }
        for (String file : List.of("cfg/etcd.conf", "cfg/etcd.conf.yml", "systemd/etcd.service",
                "lib/server.classpath", "lib/etcdctl.classpath", "lib/etcdutl.classpath", "lib/benchmark.classpath")) {
            assertThat(home.resolve(file)).isRegularFile();
        }
        assertThat(run(home, "bin/etcd", "--version")).startsWith("etcd Version: 3.5.");
        assertThat(run(home, "bin/etcdutl", "version")).startsWith("etcdutl version: ");
        awaitClassDataArchive(home, "server"); // recorded by a training the first launch started
        String loading = run(home, Map.of("ETCDJ_JAVA_OPTS", "-Xshare:on -Xlog:class+load=info"), "bin/etcd", "--version");
        assertThat(loading).as("the member's classes come from the recorded archive")
                .contains("io.etcdj.server.EtcdMain source: shared objects file (top)");

        String client = "http://127.0.0.1:" + FreePorts.onLoopback();
        String peer = "http://127.0.0.1:" + FreePorts.onLoopback();
        Path config = elsewhere.resolve("etcd.conf.yml");
        Files.writeString(config, Files.readString(home.resolve("cfg/etcd.conf.yml"))
                .replace("http://localhost:2379", client)
                .replace("http://localhost:2380", peer)
                .replace("/var/lib/etcd/default.etcd", elsewhere.resolve("default.etcd").toString()));
        Path log = elsewhere.resolve("etcd.log");
        Process etcd = command(home, "bin/etcd", "--config-file", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitHealthy(URI.create(client + "/health"), etcd, log);
            assertThat(run(home, "bin/etcdctl", "--endpoints", client, "put", "greeting", "hello")).isEqualTo("OK\n");
            assertThat(run(home, "bin/etcdctl", "--endpoints", client, "get", "greeting")).isEqualTo("greeting\nhello\n");
        } finally {
            etcd.destroy(); // SIGTERM: a clean stop, exit status 0
            assertThat(etcd.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("etcd stopped on SIGTERM").isTrue();
        }
        assertThat(etcd.exitValue()).as("etcd's exit status; its log:\n%s", Files.readString(log)).isZero();
        awaitClassDataArchive(home, "etcdctl"); // and etcdctl's, before the directory is deleted
    }

    /** Waits until lib/ holds {@code module}'s class-data archive and no training of one runs. */
    private static void awaitClassDataArchive(Path home, String module) throws Exception {
        long deadline = System.nanoTime() + TRAINING_DEADLINE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
                List<String> names = lib.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(module + "-")).toList();
                if (names.stream().anyMatch(n -> n.endsWith(".jsa")) && names.stream().noneMatch(n -> n.endsWith(".training"))) {
                    return;
                }
            }
            Thread.sleep(100); // polling interval of a condition with a deadline
        }
        throw new AssertionError("no class-data archive of " + module + " in lib/ within " + TRAINING_DEADLINE);
    }

    private static void awaitHealthy(URI health, Process etcd, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!etcd.isAlive()) {
                throw new AssertionError("etcd exited with " + etcd.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // until the member listens
            }
            Thread.sleep(50); // polling interval of a condition with a deadline
        }
        throw new AssertionError("etcd not healthy within " + DEADLINE + ":\n" + Files.readString(log));
    }

    /** Runs a command to its end and returns its standard output; a non-zero status fails the test. */
    private static String run(Path dir, String... command) throws Exception {
        return run(dir, Map.of(), command);
    }

    /** The same, with {@code env} added to the command's environment. */
    private static String run(Path dir, Map<String, String> env, String... command) throws Exception {
        Path out = Files.createTempFile("dist-it", ".out");
        try {
            ProcessBuilder pb = command(dir, command);
            pb.environment().putAll(env);
            Process p = pb.redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not end within " + DEADLINE);
            }
            String output = Files.readString(out);
            assertThat(p.exitValue()).as("exit status of %s; output:\n%s", String.join(" ", command), output).isZero();
            return output;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** A process in {@code dir} (bin/... meaning dir's bin/) with no ETCD_* or ETCDCTL_* variables of the build's environment. */
    private static ProcessBuilder command(Path dir, String... command) {
        String[] absolute = command.clone();
        if (absolute[0].startsWith("bin/")) {
            absolute[0] = dir.resolve(absolute[0]).toString();
        }
        ProcessBuilder pb = new ProcessBuilder(absolute).directory(dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ETCD"));
        return pb;
    }
}
