package io.etcdj.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenario, side by side with etcd 3.4.23 (`--enable-v2`): answers just under and just over the
 * 2048 bytes Go's net/http holds back before it sends the head. Up to that size a body goes out
 * with a Content-Length; over it, chunked (and a HEAD answer without a length), on the v2 keys
 * API and on the JSON gateway alike. Values are sized so the JSON answers straddle the limit.
 */
class LargeBodyFramingDifferentialTest {
    @TempDir
    Path dir;

    @Test
    void bodiesOverGosBufferAreChunked() throws Exception {
        HttpTranscript.assertSameOnBoth(dir, true, LargeBodyFramingDifferentialTest::play);
    }

    private static HttpTranscript play(HttpTranscript t) throws IOException, InterruptedException {
        for (int size : new int[] {1000, 1900, 2100, 3000}) {
            String value = "v".repeat(size);
            String key = "/v2/keys/k" + size;
            t.quietly("PUT", key, "application/x-www-form-urlencoded", "value=" + value);
            t.call("GET", key, null, null);
            t.call("HEAD", key, null, null);
            String k64 = Base64.getEncoder().encodeToString(("k" + size).getBytes());
            String v64 = Base64.getEncoder().encodeToString(value.getBytes());
            t.quietly("POST", "/v3/kv/put", null, "{\"key\":\"" + k64 + "\",\"value\":\"" + v64 + "\"}");
            t.call("POST", "/v3/kv/range", null, "{\"key\":\"" + k64 + "\"}");
            t.call("POST", "/v3/kv/range", null, "{\"key\":\"" + k64 + "\",\"keys_only\":true}");
        }
        return t;
    }
}
