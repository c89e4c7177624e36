package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.testsupport.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario, side by side with etcd 3.4.23 (`--enable-v2`) over HTTP: a learner is added and removed,
 * then removed and updated again — the v2 members API answers 410 "Member permanently removed" to the
 * DELETE and a bare 500 to the PUT, the v3 gateway "member not found"; then a voting member that
 * never starts is added, and removing an unknown ID is refused by the quorum rule (500, "not enough
 * started members") before the ID is looked up, as is adding another voter (gRPC code Unknown).
 * Once raft has lost its leader, /health fails as Go's http.Error (503, text, nosniff, a newline
 * after the JSON), Status lists "etcdserver: no leader" among its errors, a watch
 * that requires a leader is refused as a stream that failed before its first message, and
 * /v2/stats/self still names this member the leader: etcd's server
 * statistics change only when a leader is elected or an append arrives.
 * Each side's own learner ID (hashed from URLs and the clock) is used on that side.
 */
class MemberRemovalDifferentialTest {
    private static final Pattern MEMBER_ID = Pattern.compile("\"member\":\\{\"ID\":\"([0-9]+)\"");
    private static final String JSON = "application/json";

    @TempDir
    Path dir;

    @Test
    void removedAndUnknownMembersAreRefusedAsEtcdRefusesThem() throws Exception {
        HttpTranscript.assertSameOnBoth(dir, true, MemberRemovalDifferentialTest::play);
    }

    private static HttpTranscript play(HttpTranscript t) throws IOException, InterruptedException {
        // not noted: the members are listed by ID, and the IDs differ
        String added = t.quietly("POST", "/v3/cluster/member/add", null,
                "{\"peerURLs\":[\"http://127.0.0.1:1\"],\"isLearner\":true}");
        Matcher m = MEMBER_ID.matcher(added);
        assertThat(m.find()).as("a learner was added: %s", added).isTrue();
        String decimal = m.group(1);
        String hex = Long.toHexString(Long.parseUnsignedLong(decimal));
        t.call("DELETE", "/v2/members/" + hex, null, null);
        t.call("DELETE", "/v2/members/" + hex, null, null);
        t.call("PUT", "/v2/members/" + hex, JSON, "{\"peerURLs\":[\"http://127.0.0.1:2\"]}");
        t.call("POST", "/v3/cluster/member/remove", null, "{\"ID\":\"" + decimal + "\"}");
        // a voting member that never starts: from here on a removal fails the quorum rule
        t.call("POST", "/v2/members", JSON, "{\"peerURLs\":[\"http://127.0.0.1:3\"]}");
        t.call("DELETE", "/v2/members/1234", null, null);
        t.call("POST", "/v3/cluster/member/remove", null, "{\"ID\":\"4660\"}");
        // and adding one more voter is refused by it too (etcd 3.4's gRPC code for it is Unknown)
        t.call("POST", "/v3/cluster/member/add", null, "{\"peerURLs\":[\"http://127.0.0.1:4\"]}");
        Await.until(Duration.ofSeconds(20), "raft to lose its leader", () -> noLeader(t));
        String status = t.quietly("POST", "/v3/maintenance/status", null, "{}");
        t.note("status without a quorum: " + status.replaceAll(".*(\"errors\":\\[[^]]*]).*", "$1"));
        t.call("GET", "/health", null, null);
        // refused before the stream starts: grpc-gateway's stream error, status 503, no newline
        t.call("POST", "/v3/watch", null, "{\"create_request\":{\"key\":\"YQ==\"}}", "Grpc-Metadata-Hasleader", "true");
        String self = t.quietly("GET", "/v2/stats/self", null, null);
        String id = self.replaceAll(".*\"id\":\"([0-9a-f]+)\".*", "$1");
        t.note("/v2/stats/self without a quorum: " + self.replaceAll(".*\"state\":\"([A-Za-z]+)\".*", "$1")
                + ", leader " + (self.contains("\"leader\":\"" + id + "\"") ? "this member" : "other"));
        return t;
    }

    private static boolean noLeader(HttpTranscript t) {
        try {
            // Status leaves "leader" out while raft knows none
            return !t.quietly("POST", "/v3/maintenance/status", null, "{}").contains("\"leader\":");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
