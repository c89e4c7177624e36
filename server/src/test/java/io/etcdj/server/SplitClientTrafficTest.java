package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.server.config.InitialCluster;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --listen-client-http-urls (etcd 3.5): the member serves gRPC only on --listen-client-urls and
 * HTTP (/health, /version, the JSON gateway) only on the HTTP URLs; a connection speaking the
 * other protocol is closed unanswered.
 */
class SplitClientTrafficTest {
    @TempDir
    Path root;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void grpcOnTheClientUrlsAndHttpOnTheHttpUrls() throws Exception {
        String httpUrl = "http://127.0.0.1:" + EtcdCluster.freePort();
        try (EtcdCluster cluster = EtcdCluster.start(root, 1, 10_000, 5_000,
                s -> s.withListenClientHttpUrls(List.of(httpUrl)))) {
            String grpcUrl = cluster.clientUrl(0);

            // gRPC KV on the client URL
            cluster.kv(0).put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v")).build());
            assertThat(cluster.kv(0).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build())
                    .getKvs(0).getValue().toStringUtf8()).isEqualTo("v");

            // HTTP on the HTTP URL: health, version and the JSON gateway
            EtcdCluster.awaitCondition(Duration.ofSeconds(10), "/health on the HTTP URL", () -> {
                try {
                    HttpResponse<String> r = get(httpUrl + "/health");
                    return r.statusCode() == 200 && r.body().contains("\"health\":\"true\"");
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            });
            assertThat(get(httpUrl + "/version").body()).contains("\"etcdserver\"");
            HttpResponse<String> range = http.send(HttpRequest.newBuilder(URI.create(httpUrl + "/v3/kv/range"))
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"aw==\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(range.statusCode()).isEqualTo(200);
            assertThat(range.body()).contains("\"value\":\"dg==\"");

            // HTTP on the gRPC-only URL: the connection is closed without an answer
            assertThatThrownBy(() -> get(grpcUrl + "/health")).isInstanceOf(IOException.class);

            // gRPC on the HTTP-only URL: no service there
            ManagedChannel onHttpUrl = NettyChannelBuilder.forTarget(httpUrl.replace("http://", ""))
                    .usePlaintext().build();
            try {
                assertThatThrownBy(() -> KVGrpc.newBlockingStub(onHttpUrl).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class,
                                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            } finally {
                onHttpUrl.shutdownNow();
            }
        }
    }

    @Test
    void withoutHttpUrlsTheClientUrlServesBoth() throws Exception {
        try (EtcdCluster cluster = EtcdCluster.start(root, 1)) {
            EtcdCluster.awaitCondition(Duration.ofSeconds(10), "/health on the client URL", () -> {
                try {
                    return get(cluster.clientUrl(0) + "/health").statusCode() == 200;
                } catch (IOException | InterruptedException e) {
                    return false;
                }
            });
            cluster.kv(0).put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v")).build());
        }
    }

    @Test
    void aUrlInBothListsIsRefusedBeforeAnythingStarts() throws Exception {
        String same = "http://127.0.0.1:" + EtcdCluster.freePort();
        String peer = "http://127.0.0.1:" + EtcdCluster.freePort();
        MemberSettings settings = new MemberSettings("m0", root.resolve("m0.etcd"), null, List.of(same), List.of(same),
                List.of(peer), List.of(peer),
                InitialCluster.of(Map.of("m0", List.of(URI.create(peer))), "t"), true,
                Duration.ofMillis(20), Duration.ofMillis(200), 10_000, 5_000, 5, 5, 1536 * 1024, 128, true, false)
                .withListenClientHttpUrls(List.of(same));
        EtcdMember m = EtcdMember.open(settings, t -> { });
        try {
            assertThatThrownBy(m::start).isInstanceOf(IOException.class).hasMessage(
                    "cannot bind both --listen-client-urls and --listen-client-http-urls on the same url " + same);
        } finally {
            m.close();
        }
    }
}
