package io.etcdj.server;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario, side by side with etcd 3.4.23 over the JSON gateway: a defragmentation (the one
 * maintenance answer without a header), then auth is enabled and a user without any role calls
 * the Lock and Election services — with its token, with none and with a bogus one. etcd's
 * recipes act with the caller's token, so each write or read is refused ("permission denied",
 * "user name is empty", "invalid auth token", all with gRPC code Unknown) and an Observe ends at
 * once with no message; the user's snapshot is refused as a stream that fails before its first
 * message (grpc-gateway's stream error object, no newline, no gRPC metadata header).
 */
class GatewayRecipeAuthDifferentialTest {
    @TempDir
    Path dir;

    @Test
    void recipesActAsTheCaller() throws Exception {
        HttpTranscript.assertSameOnBoth(dir, false, GatewayRecipeAuthDifferentialTest::play);
    }

    private static HttpTranscript play(HttpTranscript t) throws IOException, InterruptedException {
        t.call("POST", "/v3/maintenance/defragment", null, "{}");
        t.call("POST", "/v3/auth/user/add", null, "{\"name\":\"root\",\"password\":\"pw\"}");
        t.call("POST", "/v3/auth/user/grant", null, "{\"user\":\"root\",\"role\":\"root\"}");
        t.call("POST", "/v3/auth/user/add", null, "{\"name\":\"u\",\"password\":\"pw\"}");
        t.call("POST", "/v3/auth/enable", null, "{}");
        String token = t.quietly("POST", "/v3/auth/authenticate", null, "{\"name\":\"u\",\"password\":\"pw\"}")
                .replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        String leader = "{\"leader\":{\"name\":\"ZQ==\",\"key\":\"ZS94\",\"rev\":\"2\"},\"value\":\"dg==\"}";
        for (String auth : new String[] {token, null, "bogus.1"}) {
            String[] header = auth == null ? new String[0] : new String[] {"Authorization", auth};
            t.call("POST", "/v3/lock/lock", null, "{\"name\":\"bA==\"}", header);
            t.call("POST", "/v3/lock/unlock", null, "{\"key\":\"bC94\"}", header);
            t.call("POST", "/v3/election/campaign", null, "{\"name\":\"ZQ==\",\"value\":\"dg==\"}", header);
            t.call("POST", "/v3/election/leader", null, "{\"name\":\"ZQ==\"}", header);
            t.call("POST", "/v3/election/proclaim", null, leader, header);
            t.call("POST", "/v3/election/resign", null, leader, header);
            t.call("POST", "/v3/election/observe", null, "{\"name\":\"ZQ==\"}", header);
            t.call("POST", "/v3/maintenance/snapshot", null, "{}", header);
        }
        return t;
    }
}
