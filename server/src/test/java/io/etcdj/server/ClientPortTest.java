package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One client port speaks gRPC and HTTP/1 at once, as etcd's does: the same port answers curl's
 * /health, /version, /metrics and the JSON gateway, and a gRPC client, in any order.
 */
class ClientPortTest {
    @TempDir
    static Path root;
    static EtcdCluster cluster;
    static String base;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        cluster = EtcdCluster.start(root, 1);
        cluster.awaitLeader(Duration.ofSeconds(10));
        base = cluster.member(0).settings().listenClientUrls().get(0);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsTrueWithALeader() throws Exception {
        HttpResponse<String> r = get("/health");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"health\":\"true\",\"reason\":\"\"}");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        assertThat(get("/health?serializable=true").statusCode()).isEqualTo(200);
    }

    @Test
    void livezAndReadyzAnswerOkAndListTheirChecksWhenVerbose() throws Exception {
        assertThat(get("/livez").body()).isEqualTo("ok");
        assertThat(get("/readyz").body()).isEqualTo("ok");
        assertThat(get("/readyz?verbose").body()).isEqualTo(
                "[+]data_corruption ok\n[+]serializable_read ok\n[+]linearizable_read ok\nreadyz check passed\n");
        assertThat(get("/readyz/linearizable_read").body()).isEqualTo("ok");
        assertThat(get("/livez/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void versionNamesServerAndCluster() throws Exception {
        HttpResponse<String> r = get("/version");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body()).isEqualTo("{\"etcdserver\":\"3.5.17\",\"etcdcluster\":\"3.5.0\"}");
    }

    @Test
    void versionAndDebugVarsAnswerOnlyGetAsEtcdsAllowMethodDoes() throws Exception {
        for (String path : new String[] {"/version", "/debug/vars"}) {
            for (String method : new String[] {"HEAD", "POST"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(method + " " + path).isEqualTo(405);
                assertThat(r.headers().firstValue("Allow")).as(method + " " + path).contains("GET");
            }
        }
    }

    @Test
    void debugVarsListsEtcdsExpvarsWithTheRaftStatus() throws Exception {
        HttpResponse<String> r = get("/debug/vars");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        String id = Long.toHexString(cluster.member(0).memberId());
        assertThat(r.body()).startsWith("{\n\"cmdline\": [\"etcd\"").endsWith("\n}\n")
                .contains("\n\"file_descriptor_limit\": ", "\n\"memstats\": {\"Alloc\":",
                        "\n\"raft.status\": {\"id\":\"" + id + "\",\"term\":",
                        "\"lead\":\"" + id + "\",\"raftState\":\"StateLeader\"",
                        "\"progress\":{\"" + id + "\":{\"match\":", "\"state\":\"StateReplicate\"}},"
                                + "\"leadtransferee\":\"0\"}");
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(r.body()).contains("# TYPE etcd_server_has_leader gauge", "etcd_server_has_leader 1",
                "etcd_server_is_leader 1", "etcd_mvcc_db_total_size_in_bytes", "etcd_server_leader_changes_seen_total 1",
                "etcd_disk_wal_fsync_duration_seconds_bucket{le=\"0.001\"}",
                "etcd_disk_backend_commit_duration_seconds_count", "process_resident_memory_bytes");
        cluster.kv(0).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("m")).build());
        assertThat(get("/metrics").body()).contains(
                "grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"Range\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"}",
                "grpc_server_started_total{grpc_method=\"Range\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"}",
                "etcd_network_client_grpc_received_bytes_total");
    }

    @Test
    void unknownPathsAndTheV2ApiWithoutEnableV2AreNotFound() throws Exception {
        for (String path : new String[] {"/nope", "/v2/keys/a", "/v2/members"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(r.body()).as(path).isEqualTo("404 page not found\n");
        }
    }

    @Test
    void anUncleanPathIsRedirectedToItsCleanFormAndServesNothing() throws Exception {
        HttpResponse<String> r = get("//health");
        assertThat(r.statusCode()).isEqualTo(301);
        assertThat(r.headers().firstValue("Location")).contains("/health");
        assertThat(r.body()).isEqualTo("<a href=\"/health\">Moved Permanently</a>.\n\n");
        HttpResponse<String> write = post("/v3//kv/put?x=1", "{\"key\":\"dW5jbGVhbg==\",\"value\":\"dg==\"}");
        assertThat(write.statusCode()).isEqualTo(301);
        assertThat(write.headers().firstValue("Location")).contains("/v3/kv/put?x=1");
        assertThat(write.body()).isEmpty();
        assertThat(post("/v3/kv/range", "{\"key\":\"dW5jbGVhbg==\"}").body()).doesNotContain("\"kvs\"");
    }

    @Test
    void aGatewayWriteIsSeenByGrpcAndAGrpcWriteByTheGateway() throws Exception {
        HttpResponse<String> put = post("/v3/kv/put", "{\"key\":\"Z3c=\",\"value\":\"MQ==\"}"); // gw = 1
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(put.body()).contains("\"revision\":");
        assertThat(cluster.kv(0).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("gw")).build())
                .getKvs(0).getValue().toStringUtf8()).isEqualTo("1");

        cluster.kv(0).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("rpc"))
                .setValue(ByteString.copyFromUtf8("2")).build());
        HttpResponse<String> range = post("/v3/kv/range", "{\"key\":\"cnBj\"}"); // rpc
        assertThat(range.body()).contains("\"key\":\"cnBj\"", "\"value\":\"Mg==\"", "\"count\":\"1\"");
    }

    @Test
    void aGatewayWatchStreamsEventsAfterItsRequestBodyEnds() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        CompletableFuture<HttpResponse<Void>> watch = http.sendAsync(
                HttpRequest.newBuilder(URI.create(base + "/v3/watch"))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"create_request\":{\"key\":\"d2F0Y2hlZA==\"}}")).build(),
                HttpResponse.BodyHandlers.fromLineSubscriber(new Flow.Subscriber<String>() {
                    @Override public void onSubscribe(Flow.Subscription s) { s.request(Long.MAX_VALUE); }
                    @Override public void onNext(String line) { lines.add(line); }
                    @Override public void onError(Throwable t) { }
                    @Override public void onComplete() { }
                }));
        try {
            String created = lines.poll(10, TimeUnit.SECONDS);
            assertThat(created).contains("\"created\":true");
            cluster.kv(0).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("watched"))
                    .setValue(ByteString.copyFromUtf8("x")).build());
            String event = lines.poll(10, TimeUnit.SECONDS);
            assertThat(event).contains("\"events\":[{\"kv\":{\"key\":\"d2F0Y2hlZA==\"");
        } finally {
            watch.cancel(true);
        }
    }

    @Test
    void oneConnectionServesManyHttpRequests() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(get(i % 2 == 0 ? "/health" : "/version").statusCode()).isEqualTo(200);
        }
    }
}
