package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.server.gateway.ReferenceEtcd;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: an operator loads etcd's alert rules into Prometheus and scrapes etcdj. Prometheus'
 * own checker (promtool, Debian's prometheus package) must accept the rules file etcd ships, and
 * must find nothing wrong in our /metrics beyond what it finds in etcd's own (etcd exports two
 * gauges whose names end in _total). promtool is installed with apt-get when missing; if that
 * fails, the test fails — it never skips.
 */
class PromtoolTest {
    /** Where Debian's etcd-server package puts etcd's alert rules. */
    private static final Path ALERT_RULES = Path.of("/usr/share/doc/etcd-server/op-guide/etcd3_alert.rules.yml.gz");
    /** What promtool says about etcd's own exposition too: gauges that etcd names like counters. */
    private static String promtool;

    @TempDir
    Path dir;

    @BeforeAll
    static void installPromtool() throws Exception {
        promtool = Executables.findOnPath("promtool");
        if (promtool == null) {
            // Debian's prometheus package (about 100 MB installed) brings promtool
            if (run(List.of("apt-get", "install", "-y", "--no-install-recommends", "prometheus"), null).exit != 0) {
                run(List.of("apt-get", "update"), null);
                Result r = run(List.of("apt-get", "install", "-y", "--no-install-recommends", "prometheus"), null);
                assertThat(r.exit).as("installing promtool (apt-get install prometheus) failed:\n%s", r.output).isZero();
            }
            promtool = Executables.findOnPath("promtool");
        }
        assertThat(promtool).as("promtool is on PATH after installing Debian's prometheus package").isNotNull();
    }

    @Test
    void etcdsAlertRulesLoadInPromtool() throws Exception {
        assertThat(ALERT_RULES).as("etcd's alert rules (apt-get install etcd-server)").exists();
        Path rules = dir.resolve("etcd3_alert.rules.yml");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(ALERT_RULES))) {
            Files.copy(in, rules);
        }
        Result r = run(List.of(promtool, "check", "rules", rules.toString()), null);
        assertThat(r.exit).as(r.output).isZero();
        assertThat(r.output).contains("SUCCESS");
    }

    @Test
    void promtoolFindsNothingInOurMetricsBeyondWhatItFindsInEtcds() throws Exception {
        ObservabilitySettings extensive = new ObservabilitySettings(true, List.of(), Duration.ofMillis(100),
                Duration.ofMillis(300));
        try (EtcdCluster cluster = EtcdCluster.start(dir, 1, 10_000, 5_000, s -> s.withObservability(extensive))) {
            cluster.awaitLeader(Duration.ofSeconds(20));
            cluster.kv(0).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k"))
                    .setValue(ByteString.copyFromUtf8("v")).build());
            List<String> ours = lint(cluster.clientUrl(0));
            List<String> etcds;
            try (ReferenceEtcd etcd = new ReferenceEtcd()) {
                etcds = lint("http://127.0.0.1:" + etcd.clientPort);
            }
            assertThat(etcds).as("promtool's findings in the reference etcd's /metrics").isNotEmpty();
            assertThat(ours).as("promtool check metrics").isSubsetOf(etcds);
        }
    }

    /** What `promtool check metrics` says about the /metrics of the member at {@code clientUrl}. */
    private static List<String> lint(String clientUrl) throws Exception {
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(clientUrl + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        Result r = run(List.of(promtool, "check", "metrics"), metrics.body());
        return r.output.lines().filter(l -> !l.isBlank()).toList();
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, String stdin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within 10 minutes");
        }
        return new Result(p.exitValue(), out);
    }

}
