package io.etcdj.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API's promises: flags mean what bin/etcd's mean, data survives a restart, close cleans up. */
class EmbeddedEtcdClusterTest {
    /** A tenth of etcd's default raft timing: a single member elects itself in about 100 ms. */
    private static EmbeddedEtcdCluster.Builder quick() {
        return EmbeddedEtcdCluster.builder().flag("heartbeat-interval", "10").flag("election-timeout", "100");
    }
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void closeStopsEveryMemberFreesItsPortsAndDeletesTheTemporaryDataDirs() throws Exception {
        EmbeddedEtcdCluster etcd = quick().start();
        EmbeddedMember m1 = etcd.member(0);
        Path dataDir = m1.dataDir();
        assertThat(dataDir.resolve("member/wal")).isDirectory();
        assertThat(get(m1.clientEndpoint(), "/health")).contains("\"health\":\"true\"");

        etcd.close();

        assertThat(m1.isRunning()).isFalse();
        assertThat(dataDir.getParent()).doesNotExist();
        for (URI endpoint : new URI[] {m1.clientEndpoint(), m1.peerEndpoint()}) {
            try (ServerSocket rebound = new ServerSocket(endpoint.getPort(), 1, InetAddress.getByName("127.0.0.1"))) {
                assertThat(rebound.getLocalPort()).isEqualTo(endpoint.getPort());
            }
        }
        etcd.close(); // again: nothing left to do
    }

    @Test
    void flagsAreBinEtcdsFlagsAndAreCheckedAsEtcdChecksThem() throws Exception {
        try (EmbeddedEtcdCluster etcd = quick().flag("--enable-v2", "true").start()) {
            assertThat(get(etcd.member(0).clientEndpoint(), "/v2/keys/")).contains("\"action\":\"get\"");
        }
        assertThatThrownBy(() -> EmbeddedEtcdCluster.builder().flag("snapshot-count", "lots").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid value \"lots\" for flag -snapshot-count");
        assertThatThrownBy(() -> EmbeddedEtcdCluster.builder().flag("no-such-flag", "1").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("flag provided but not defined: -no-such-flag");
        assertThatThrownBy(() -> EmbeddedEtcdCluster.builder().flag("listen-client-urls", "http://127.0.0.1:2379"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chosen by the embedded cluster");
        assertThatThrownBy(() -> EmbeddedEtcdCluster.builder().flag("discovery-token", "t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("chosen by the embedded cluster");
    }

    @Test
    void aStoppedMemberRestartsOnItsDataAndAKeptDataDirectoryStays(@TempDir Path kept) throws Exception {
        try (EmbeddedEtcdCluster etcd = quick().dataDirectory(kept).start()) {
            EmbeddedMember m1 = etcd.member(0);
            put(m1.clientEndpoint(), "k", "before-restart");
            String id = m1.memberId();
            m1.stop();
            assertThat(m1.isRunning()).isFalse();
            m1.start();
            m1.awaitReady(Duration.ofSeconds(30));
            assertThat(m1.memberId()).isEqualTo(id);
            assertThat(get(m1.clientEndpoint(), "/v3/kv/range", "{\"key\":\"aw==\"}"))
                    .contains("\"value\":\"YmVmb3JlLXJlc3RhcnQ=\"");
        }
        assertThat(kept.resolve("m1.etcd/member/wal")).isDirectory();
    }

    private static void put(URI endpoint, String key, String value) throws IOException, InterruptedException {
        String body = "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}";
        assertThat(get(endpoint, "/v3/kv/put", body)).contains("\"revision\"");
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String get(URI endpoint, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(10)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String get(URI endpoint, String path, String jsonBody) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint.resolve(path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
    }
}
