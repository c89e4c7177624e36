package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd 3.4 keeps its membership in the v2 store too, so every bootstrap member, publish, member
 * add/update/remove and cluster-version decision takes a v2 index: a v2 client sees its first key
 * of a fresh three-member cluster at index 8, not 1. The same membership history is played on three
 * reference etcd processes and on three of ours (bin/etcd), and after each step the v2 index
 * ({@code X-Etcd-Index}) must be the same.
 */
class V2MembershipIndexIT {
    private static final Path BIN_ETCD = Path.of("..", "bin", "etcd").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path tmp;

    @Test
    void membershipChangesTakeTheSameV2IndicesAsEtcd() throws Exception {
        String etcd = Executables.findOnPath("etcd");
        assertThat(etcd).as("the reference etcd (Debian's etcd-server) must be installed").isNotNull();
        List<String> reference = history(etcd, tmp.resolve("reference"));
        List<String> ours = history(BIN_ETCD.toString(), tmp.resolve("ours"));
        assertThat(ours).isEqualTo(reference);
        assertThat(reference.get(0)).isEqualTo("fresh cluster: index 7");
    }

    /** Plays the history on three members of {@code binary}; one line per step with the v2 index then. */
    private List<String> history(String binary, Path dir) throws Exception {
        List<String> steps = new ArrayList<>();
        try (ThreeMembers c = new ThreeMembers(binary, dir)) {
            awaitIndex(c, 7); // bootstrap: three adds, three publishes, the cluster version
            steps.add("fresh cluster: index " + index(c));
            steps.add("first key: " + put(c, "/a"));
            String id = memberAdd(c, "n4", "--peer-urls=http://127.0.0.1:" + EtcdCluster.freePort());
            steps.add("member added: index " + index(c));
            etcdctl(c, "member", "update", id, "--peer-urls=http://127.0.0.1:" + EtcdCluster.freePort());
            steps.add("member updated: index " + index(c));
            etcdctl(c, "member", "remove", id);
            steps.add("member removed: index " + index(c));
            memberAdd(c, "n5", "--learner", "--peer-urls=http://127.0.0.1:" + EtcdCluster.freePort());
            steps.add("learner added: index " + index(c));
            steps.add("next key: " + put(c, "/b"));
        }
        return steps;
    }

    private static void awaitIndex(ThreeMembers c, long wanted) {
        EtcdCluster.awaitCondition(Duration.ofSeconds(30), "v2 index " + wanted, () -> {
            try {
                return index(c) >= wanted;
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static long index(ThreeMembers c) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(c.clientUrl(0) + "/v2/keys/?quorum=true"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return Long.parseLong(r.headers().firstValue("X-Etcd-Index").orElseThrow());
    }

    private static String put(ThreeMembers c, String key) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(c.clientUrl(2) + "/v2/keys" + key))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(5))
                .PUT(HttpRequest.BodyPublishers.ofString("value=1")).build(), HttpResponse.BodyHandlers.ofString());
        return r.body().trim();
    }

    private static String memberAdd(ThreeMembers c, String name, String... flags) throws Exception {
        List<String> args = new ArrayList<>(List.of("member", "add", name));
        args.addAll(List.of(flags));
        String out = etcdctl(c, args.toArray(new String[0]));
        // "Member 8e9e05c52164694d added to cluster ...", the ID printed with %16x (space-padded)
        return out.lines().filter(l -> l.startsWith("Member ")).findFirst().orElseThrow().trim().split("\\s+")[1];
    }

    private static String etcdctl(ThreeMembers c, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + c.clientUrl(0)));
        command.addAll(List.of(args));
        // etcd refuses a membership change while a member it has heard from is "unhealthy"; retry
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() == 0) {
                return out;
            }
            if (System.nanoTime() > deadline || !out.contains("unhealthy cluster")) {
                throw new AssertionError(String.join(" ", command) + " failed: " + out);
            }
            Thread.onSpinWait();
        }
    }

    /** Three member processes of one binary on 127.0.0.1 with --enable-v2; killed on close. */
    private static final class ThreeMembers implements AutoCloseable {
        private final List<Process> processes = new ArrayList<>();
        private final int[] clientPorts = new int[3];

        ThreeMembers(String binary, Path dir) throws IOException {
            Files.createDirectories(dir);
            int[] peerPorts = new int[3];
            StringBuilder initial = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                clientPorts[i] = EtcdCluster.freePort();
                peerPorts[i] = EtcdCluster.freePort();
                initial.append(i == 0 ? "" : ",").append("n").append(i + 1).append("=http://127.0.0.1:").append(peerPorts[i]);
            }
            for (int i = 0; i < 3; i++) {
                String client = "http://127.0.0.1:" + clientPorts[i];
                String peer = "http://127.0.0.1:" + peerPorts[i];
                processes.add(new ProcessBuilder(binary, "--name", "n" + (i + 1), "--data-dir",
                        dir.resolve("n" + (i + 1)).toString(), "--enable-v2",
                        "--listen-client-urls", client, "--advertise-client-urls", client,
                        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                        "--initial-cluster", initial.toString(), "--initial-cluster-token", "v2-index")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("n" + (i + 1) + ".log").toFile())
                        .start());
            }
        }

        String clientUrl(int i) {
            return "http://127.0.0.1:" + clientPorts[i];
        }

        @Override
        public void close() {
            processes.forEach(Process::destroyForcibly);
            for (Process p : processes) {
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
