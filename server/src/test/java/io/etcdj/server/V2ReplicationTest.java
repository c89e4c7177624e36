package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The v2 keys API (--enable-v2) on a real three-member cluster: every write goes through raft,
 * so all members answer the same, TTLs expire everywhere, and the store survives restarts and
 * reaches a lagging member inside a snapshot.
 */
class V2ReplicationTest {
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

    void start(long snapshotCount) {
        cluster = EtcdCluster.start(root, 3, snapshotCount, Math.min(5_000, snapshotCount / 2),
                s -> s.withEnableV2(true));
        cluster.awaitLeader(Duration.ofSeconds(10));
    }

    String url(int member, String pathAndQuery) {
        return cluster.member(member).settings().listenClientUrls().get(0) + pathAndQuery;
    }

    HttpResponse<String> send(HttpRequest.Builder b) {
        try {
            return http.send(b.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    HttpResponse<String> put(int member, String key, String form) {
        return send(HttpRequest.newBuilder(URI.create(url(member, "/v2/keys" + key)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString(form)));
    }

    HttpResponse<String> get(int member, String keyAndQuery) {
        return send(HttpRequest.newBuilder(URI.create(url(member, "/v2/keys" + keyAndQuery))).GET());
    }

    static String value(String v) {
        return "value=" + URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    @Test
    void aWriteOnOneMemberIsReadOnEveryMember() {
        start(10_000);
        HttpResponse<String> set = put(0, "/app/config", value("v1"));
        assertThat(set.statusCode()).isEqualTo(201);
        assertThat(set.body()).contains("\"action\":\"set\"", "\"key\":\"/app/config\"", "\"value\":\"v1\"");
        for (int m = 0; m < 3; m++) {
            int member = m;
            // a quorum read is linearizable on any member
            assertThat(get(member, "/app/config?quorum=true").body()).contains("\"value\":\"v1\"");
            EtcdCluster.awaitCondition(Duration.ofSeconds(10), "member " + m + " applied the write",
                    () -> get(member, "/app/config").body().contains("\"value\":\"v1\""));
        }
        HttpResponse<String> exists = put(1, "/app/config?prevExist=false", value("v2"));
        assertThat(exists.statusCode()).isEqualTo(412);
        assertThat(exists.body()).contains("\"errorCode\":105", "Key already exists");
        assertThat(exists.headers().firstValue("X-Etcd-Cluster-Id"))
                .contains(Long.toHexString(cluster.server(0).clusterId()));
    }

    @Test
    void raftStatsCountTheAppendsTheLeaderSentAndEachFollowerReceived() {
        start(10_000);
        int leader = cluster.awaitLeader(Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            assertThat(put(leader, "/stats/k" + i, value("v")).statusCode()).isEqualTo(201);
        }
        String leaderId = Long.toHexString(cluster.server(leader).memberId());
        String self = send(HttpRequest.newBuilder(URI.create(url(leader, "/v2/stats/self"))).GET()).body();
        assertThat(self).contains("\"state\":\"StateLeader\"", "\"leader\":\"" + leaderId + "\"");
        assertThat(count(self, "sendAppendRequestCnt")).isGreaterThanOrEqualTo(10); // 5 writes to 2 followers
        String leaderStats = send(HttpRequest.newBuilder(URI.create(url(leader, "/v2/stats/leader"))).GET()).body();
        for (int m = 0; m < 3; m++) {
            if (m == leader) {
                continue;
            }
            int follower = m;
            String id = Long.toHexString(cluster.server(m).memberId());
            assertThat(leaderStats).contains("\"" + id + "\":{\"latency\":{\"current\":");
            EtcdCluster.awaitCondition(Duration.ofSeconds(10), "follower " + m + " counted the appends", () ->
                    count(send(HttpRequest.newBuilder(URI.create(url(follower, "/v2/stats/self"))).GET()).body(),
                            "recvAppendRequestCnt") >= 5);
        }
        assertThat(leaderStats.split("\"success\":")).hasSize(3);
        assertThat(leaderStats).doesNotContain("\"success\":0}");
    }

    private static long count(String json, String field) {
        return Long.parseLong(json.replaceAll(".*\"" + field + "\":(\\d+).*", "$1"));
    }

    @Test
    void aTtlKeyExpiresOnEveryMember() {
        start(10_000);
        assertThat(put(0, "/lease/holder", value("me") + "&ttl=1").statusCode()).isEqualTo(201);
        for (int m = 0; m < 3; m++) {
            int member = m;
            EtcdCluster.awaitCondition(Duration.ofSeconds(10), "the key expired on member " + m,
                    () -> get(member, "/lease/holder").statusCode() == 404);
        }
    }

    @Test
    void aWatchOnOneMemberSeesAWriteOnAnother() throws Exception {
        start(10_000);
        CompletableFuture<HttpResponse<String>> watch = http.sendAsync(
                HttpRequest.newBuilder(URI.create(url(1, "/v2/keys/jobs?wait=true&recursive=true")))
                        .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
        EtcdCluster.awaitCondition(Duration.ofSeconds(10), "the watcher registered",
                () -> cluster.member(1) != null && get(1, "/").statusCode() == 200 && watchers(1) > 0);
        assertThat(put(2, "/jobs/1", value("build")).statusCode()).isEqualTo(201);
        HttpResponse<String> event = watch.get();
        assertThat(event.body()).contains("\"action\":\"set\"", "\"key\":\"/jobs/1\"", "\"value\":\"build\"");
    }

    private long watchers(int member) {
        String stats = send(HttpRequest.newBuilder(URI.create(url(member, "/v2/stats/store"))).GET()).body();
        return Long.parseLong(stats.replaceAll(".*\"watchers\":(\\d+).*", "$1"));
    }

    @Test
    void theStoreSurvivesARestartAndReachesALaggingMemberInASnapshot() {
        start(20);
        assertThat(put(0, "/before", value("restart")).statusCode()).isEqualTo(201);
        cluster.stopMember(2);
        for (int i = 0; i < 60; i++) {
            assertThat(put(0, "/bulk/k" + i, value("v" + i)).statusCode()).isEqualTo(201);
        }
        cluster.startMember(2); // far behind: the leader has compacted its log, so it sends a snapshot
        EtcdCluster.awaitCondition(Duration.ofSeconds(20), "the restarted member caught up",
                () -> get(2, "/bulk/k59").body().contains("\"value\":\"v59\""));
        assertThat(get(2, "/before").body()).contains("\"value\":\"restart\"");

        cluster.stopMember(0);
        cluster.startMember(0);
        cluster.awaitLeader(Duration.ofSeconds(10));
        assertThat(get(0, "/bulk/k0").body()).contains("\"value\":\"v0\"");
        assertThat(get(0, "/bulk?recursive=true").body()).contains("/bulk/k42");
    }
}
