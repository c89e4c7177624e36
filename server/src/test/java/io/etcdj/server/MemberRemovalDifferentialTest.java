package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.gateway.ReferenceEtcd;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario, side by side with etcd 3.4.23 (`--enable-v2`) over HTTP: a learner is added and removed,
 * then removed and updated again — the v2 members API answers 410 "Member permanently removed" to the
 * DELETE and a bare 500 to the PUT, the v3 gateway "member not found"; then a voting member that
 * never starts is added, and removing an unknown ID is refused by the quorum rule (500, "not enough
 * started members") before the ID is looked up, as is adding another voter (gRPC code Unknown). Member IDs (hashed from URLs and the clock) and
 * cluster IDs are masked; each side's own learner ID is used on that side.
 */
class MemberRemovalDifferentialTest {
    private static final Pattern MEMBER_ID = Pattern.compile("\"member\":\\{\"ID\":\"([0-9]+)\"");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void removedAndUnknownMembersAreRefusedAsEtcdRefusesThem() throws Exception {
        try (ReferenceEtcd reference = new ReferenceEtcd("--enable-v2");
             EtcdCluster ours = EtcdCluster.start(dir, 1, 10_000, 5_000, s -> s.withEnableV2(true))) {
            ours.awaitLeader(Duration.ofSeconds(20));
            Map<String, Integer> ports = new LinkedHashMap<>();
            ports.put("etcd", reference.clientPort);
            ports.put("ours", URI.create(ours.clientUrl(0)).getPort());
            Map<String, StringBuilder> transcripts = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> side : ports.entrySet()) {
                transcripts.put(side.getKey(), play(side.getValue()));
            }
            assertThat(transcripts.get("ours").toString()).isEqualTo(transcripts.get("etcd").toString());
        }
    }

    /** The scenario against one server; what it answered, masked. */
    private StringBuilder play(int port) throws IOException, InterruptedException {
        StringBuilder t = new StringBuilder();
        // not transcribed: the members are listed by ID, and the IDs (hashed with the clock) differ
        String added = call(port, "POST", "/v3/cluster/member/add", null,
                "{\"peerURLs\":[\"http://127.0.0.1:1\"],\"isLearner\":true}", new StringBuilder());
        Matcher m = MEMBER_ID.matcher(added);
        assertThat(m.find()).as("a learner was added: %s", added).isTrue();
        String decimal = m.group(1);
        String hex = Long.toHexString(Long.parseUnsignedLong(decimal));
        call(port, "DELETE", "/v2/members/" + hex, null, null, t);
        call(port, "DELETE", "/v2/members/" + hex, null, null, t);
        call(port, "PUT", "/v2/members/" + hex, "application/json", "{\"peerURLs\":[\"http://127.0.0.1:2\"]}", t);
        call(port, "POST", "/v3/cluster/member/remove", null, "{\"ID\":\"" + decimal + "\"}", t);
        // a voting member that never starts: from here on a removal fails the quorum rule
        call(port, "POST", "/v2/members", "application/json", "{\"peerURLs\":[\"http://127.0.0.1:3\"]}", t);
        call(port, "DELETE", "/v2/members/1234", null, null, t);
        call(port, "POST", "/v3/cluster/member/remove", null, "{\"ID\":\"4660\"}", t);
        // and adding one more voter is refused by it too (etcd 3.4's gRPC code for it is Unknown)
        call(port, "POST", "/v3/cluster/member/add", null, "{\"peerURLs\":[\"http://127.0.0.1:4\"]}", t);
        return t;
    }

    private String call(int port, String method, String path, String contentType, String body, StringBuilder t)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        t.append(method).append(' ').append(path.replaceAll("/[0-9a-f]{5,16}$", "/<id>")).append(" -> ")
                .append(r.statusCode()).append(' ').append(r.headers().firstValue("Content-Type").orElse("-"))
                .append(' ').append(masked(r.body())).append('\n');
        return r.body();
    }

    private static String masked(String body) {
        return body.replaceAll("\"(ID|id|cluster_id|member_id|raft_term)\":\"[0-9a-f]+\"", "\"$1\":<id>")
                .replaceAll("removed: [0-9a-f]+", "removed: <id>")
                .replaceAll("127\\.0\\.0\\.1:[0-9]+", "127.0.0.1:<port>")
                .replaceAll("\"name\":\"[^\"]*\"", "\"name\":<name>");
    }
}
