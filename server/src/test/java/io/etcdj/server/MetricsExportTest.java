package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import com.google.protobuf.ByteString;
import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.tls.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario: an operator points etcd's own alert rules and Grafana dashboard at a three-member
 * etcdj cluster. Every series those two files query must be on every member's /metrics once the
 * cluster has seen ordinary traffic (gRPC puts and gets, v2 requests that succeed and fail), and
 * the extra --listen-metrics-urls listener must serve the same /metrics and /health, nothing else.
 */
class MetricsExportTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    @Test
    void everySeriesOfEtcdsAlertRulesAndDashboardIsExportedByEveryMemberOfAThreeMemberCluster() throws Exception {
        List<String> wanted = new ArrayList<>(seriesNames("/metrics/etcd3-alert-rules-series.txt"));
        wanted.addAll(seriesNames("/metrics/etcd-grafana-series.txt"));
        wanted.add("etcd_mvcc_db_total_size_in_use_in_bytes"); // named by issue 8
        ObservabilitySettings extensive = new ObservabilitySettings(true, List.of(), Duration.ofMillis(100),
                Duration.ofMillis(300));
        try (EtcdCluster cluster = EtcdCluster.start(dir, 3, 10_000, 5_000,
                s -> s.withEnableV2(true).withObservability(extensive))) {
            cluster.awaitLeader(Duration.ofSeconds(20));
            for (int i = 0; i < 3; i++) {
                cluster.kv(i).put(PutRequest.newBuilder().setKey(bytes("k" + i)).setValue(bytes("v")).build());
                cluster.kv(i).range(RangeRequest.newBuilder().setKey(bytes("k0")).build());
                String v2 = cluster.clientUrl(i) + "/v2/keys/";
                HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(v2 + "present")).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .PUT(HttpRequest.BodyPublishers.ofString("value=1")).build());
                assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
                assertThat(get(v2 + "absent").statusCode()).isEqualTo(404);
            }
            for (int i = 0; i < 3; i++) {
                List<String> perPeer = new ArrayList<>(wanted);
                for (int peer = 0; peer < 3; peer++) {
                    if (peer != i) {
                        String hex = Long.toHexString(cluster.member(peer).memberId());
                        perPeer.add("etcd_network_peer_sent_bytes_total{To=\"" + hex + "\"}");
                        perPeer.add("etcd_network_peer_received_bytes_total{From=\"" + hex + "\"}");
                        perPeer.add("etcd_network_peer_round_trip_time_seconds_bucket{To=\"" + hex + "\",le=\"+Inf\"}");
                    }
                }
                awaitSeries(cluster.clientUrl(i), perPeer);
            }
        }
    }

    @Test
    void basicMetricsLeaveOutTheGrpcHandlingHistogramsAndTheMetricsUrlServesOnlyMetricsAndHealth() throws Exception {
        int port = EtcdCluster.freePort();
        String metricsUrl = "http://127.0.0.1:" + port;
        ObservabilitySettings basic = new ObservabilitySettings(false, List.of(metricsUrl), Duration.ofMillis(100),
                Duration.ofMillis(300));
        try (EtcdCluster cluster = EtcdCluster.start(dir, 1, 10_000, 5_000, s -> s.withObservability(basic))) {
            cluster.awaitLeader(Duration.ofSeconds(20));
            cluster.kv(0).put(PutRequest.newBuilder().setKey(bytes("a")).setValue(bytes("b")).build());
            String viaClientPort = scrape(cluster.clientUrl(0));
            assertThat(viaClientPort).contains("grpc_server_handled_total{").doesNotContain("grpc_server_handling_seconds");

            String viaMetricsUrl = scrape(metricsUrl);
            assertThat(viaMetricsUrl).contains("etcd_server_has_leader 1").contains("grpc_server_handled_total{");
            HttpResponse<String> health = get(metricsUrl + "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"health\":\"true\"");
            assertThat(get(metricsUrl + "/version").statusCode()).isEqualTo(404);
            assertThat(get(metricsUrl + "/v2/keys/a").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void anHttpsMetricsUrlServesWithTheClientPortsTls() throws Exception {
        String metricsUrl = "https://127.0.0.1:" + EtcdCluster.freePort();
        TestPki pki = new TestPki(dir.resolve("pki"));
        Path[] member = pki.leaf("etcd", "etcd");
        // no trusted CA: with one, etcd (and we) would demand a client certificate here too
        TransportSecurity clientTls = new TransportSecurity(member[0].toString(), member[1].toString(), "", "",
                "", false, "", List.of(), List.of(), false, false);
        ObservabilitySettings tlsMetrics = new ObservabilitySettings(false, List.of(metricsUrl), Duration.ofMillis(100),
                Duration.ofMillis(300));
        try (EtcdCluster cluster = EtcdCluster.start(dir, 1, 10_000, 5_000,
                s -> s.withSecurity(clientTls, TransportSecurity.NONE).withObservability(tlsMetrics))) {
            cluster.awaitLeader(Duration.ofSeconds(20));
            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new X509TrustManager() {
                @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
                @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
                @Override public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            HttpClient https = HttpClient.newBuilder().sslContext(trustAll).connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(metricsUrl + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("etcd_server_has_leader 1");
        }
    }

    /**
     * The wanted series that have no sample line in {@code exposition}: a bare name matches any
     * labels; a name with labels must match a sample's name and labels exactly.
     */
    static Set<String> missingSeries(String exposition, List<String> wanted) {
        Set<String> present = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isEmpty() && !line.startsWith("#")) {
                int nameEnd = 0;
                while (nameEnd < line.length() && line.charAt(nameEnd) != '{' && line.charAt(nameEnd) != ' ') {
                    nameEnd++;
                }
                present.add(line.substring(0, nameEnd));
                present.add(line.substring(0, line.lastIndexOf(' ')));
            }
        }
        Set<String> missing = new TreeSet<>(wanted);
        missing.removeAll(present);
        return missing;
    }

    /** Waits (30 s at most) until the member at {@code clientUrl} exports every wanted series. */
    private static void awaitSeries(String clientUrl, List<String> wanted) {
        Set<String> lastMissing = ConcurrentHashMap.newKeySet();
        try {
            EtcdCluster.awaitCondition(Duration.ofSeconds(30), "every series on " + clientUrl, () -> {
                Set<String> missing = missingSeries(scrape(clientUrl), wanted);
                lastMissing.clear();
                lastMissing.addAll(missing);
                return missing.isEmpty();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; missing: " + new TreeSet<>(lastMissing), e);
        }
    }

    static List<String> seriesNames(String resource) throws IOException {
        try (InputStream in = MetricsExportTest.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }

    private static String scrape(String baseUrl) {
        try {
            HttpResponse<String> r = get(baseUrl + "/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        } catch (Exception e) {
            throw new AssertionError("scraping " + baseUrl + " failed", e);
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
