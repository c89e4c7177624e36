package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v2 auth records on a real three-member cluster (--enable-v2): they are v2 store writes
 * through raft, so a user made on one member logs in on another, enabling auth anywhere guards
 * every member, and the records survive a restart and reach a lagging member inside a snapshot.
 */
class V2AuthReplicationTest {
    private static final String ROOT = "root:rootpw";
    private static final String APP = "app:apppw";

    @TempDir
    Path root;
    EtcdCluster cluster;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void authRecordsReplicateSurviveARestartAndTravelInASnapshot() {
        cluster = EtcdCluster.start(root, 3, 20, 10, s -> s.withEnableV2(true));
        cluster.awaitLeader(Duration.ofSeconds(10));

        assertThat(send(0, null, "PUT", "/v2/auth/users/root", "{\"user\":\"root\",\"password\":\"rootpw\"}").statusCode())
                .isEqualTo(201);
        assertThat(send(1, null, "PUT", "/v2/auth/enable", "").statusCode()).isEqualTo(200);
        awaitOnEveryMember("auth is enabled", m -> send(m, null, "GET", "/v2/auth/enable", null).body()
                .equals("{\"enabled\":true}\n"));
        // the root user created on member 0 administers through member 2
        assertThat(send(2, null, "GET", "/v2/auth/users", null).statusCode()).isEqualTo(401);
        assertThat(send(2, ROOT, "PUT", "/v2/auth/roles/guest",
                "{\"role\":\"guest\",\"revoke\":{\"kv\":{\"write\":[\"/*\"]}}}").statusCode()).isEqualTo(200);
        awaitOnEveryMember("the guest may no longer write",
                m -> send(m, null, "PUT", "/v2/keys/anon", "value=1").statusCode() == 401);

        cluster.stopMember(2);
        assertThat(send(0, ROOT, "PUT", "/v2/auth/roles/app",
                "{\"role\":\"app\",\"permissions\":{\"kv\":{\"read\":[\"/app/*\"],\"write\":[\"/app/*\"]}}}").statusCode())
                .isEqualTo(201);
        assertThat(send(0, ROOT, "PUT", "/v2/auth/users/app",
                "{\"user\":\"app\",\"password\":\"apppw\",\"roles\":[\"app\"]}").statusCode()).isEqualTo(200);
        for (int i = 0; i < 40; i++) {
            assertThat(send(0, APP, "PUT", "/v2/keys/app/k" + i, "value=" + i).statusCode()).isEqualTo(201);
        }
        cluster.startMember(2); // the leader compacted its log: member 2 gets the store in a snapshot
        EtcdCluster.awaitCondition(Duration.ofSeconds(20), "member 2 caught up",
                () -> send(2, APP, "GET", "/v2/keys/app/k39", null).body().contains("\"value\":\"39\""));
        assertThat(send(2, APP, "PUT", "/v2/keys/app/from2", "value=x").statusCode()).isEqualTo(201);
        assertThat(send(2, APP, "PUT", "/v2/keys/elsewhere", "value=x").statusCode()).isEqualTo(401);
        assertThat(send(2, "app:wrong", "GET", "/v2/keys/app/k0", null).statusCode()).isEqualTo(401);

        cluster.stopMember(0);
        cluster.startMember(0);
        cluster.awaitLeader(Duration.ofSeconds(10));
        assertThat(send(0, null, "GET", "/v2/auth/enable", null).body()).isEqualTo("{\"enabled\":true}\n");
        assertThat(send(0, APP, "GET", "/v2/keys/app/from2?quorum=true", null).body()).contains("\"value\":\"x\"");
        assertThat(send(0, ROOT, "GET", "/v2/auth/users", null).body()).contains("\"user\":\"app\"", "\"user\":\"root\"");
        // the stored records stay out of the keys API
        assertThat(send(0, ROOT, "GET", "/v2/keys/2", null).statusCode()).isEqualTo(404);
    }

    private void awaitOnEveryMember(String what, IntPredicate condition) {
        for (int m = 0; m < 3; m++) {
            int member = m;
            EtcdCluster.awaitCondition(Duration.ofSeconds(10), what + " on member " + m, () -> condition.test(member));
        }
    }

    private HttpResponse<String> send(int member, String credentials, String method, String path, String body) {
        String url = cluster.member(member).settings().listenClientUrls().get(0) + path;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (path.startsWith("/v2/keys") && body != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
        }
        if (credentials != null) {
            b.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " on member " + member, e);
        }
    }
}
