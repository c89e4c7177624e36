package io.etcdj.server.v2.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.v2.local.SingleNodeV2Cluster;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Handler scenarios that need no network: streams, expiry through the cluster, snapshots of state. */
class KeysHandlerTest {
    private static final long T0 = 1_700_000_000L * 1_000_000_000L;
    private long now = T0;
    private final SingleNodeV2Cluster cluster = new SingleNodeV2Cluster("default", List.of("http://127.0.0.1:2380"),
            List.of("http://127.0.0.1:2379"), 0xabcL, 0xdefL, () -> now);
    private final V2Router router = new V2Router(cluster, () -> now);

    private FakeExchange call(String method, String target, String form) {
        FakeExchange ex = new FakeExchange(method, target, form);
        router.handle(ex);
        return ex;
    }

    @Test
    void streamWatchDeliversEveryEventUntilTheClientLeaves() throws Exception {
        FakeExchange watch = new FakeExchange("GET", "/v2/keys/s?wait=true&stream=true&recursive=true", null);
        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> router.handle(watch));
        // the watch starts at the next index, so writes made before it registers are still seen
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (cluster.store().watcherCount() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        call("PUT", "/v2/keys/s/a", "value=1");
        call("PUT", "/v2/keys/s/b", "value=2");
        assertThat(watch.nextPart()).contains("\"key\":\"/s/a\"");
        assertThat(watch.nextPart()).contains("\"key\":\"/s/b\"");
        watch.open = false;
        running.get(10, TimeUnit.SECONDS);
        assertThat(watch.nextPart()).isEqualTo("<END>");
        assertThat(cluster.store().watcherCount()).isZero();
    }

    @Test
    void ttlKeysExpireOnlyThroughTheReplicatedSync() {
        FakeExchange set = call("PUT", "/v2/keys/t?ttl=5", "value=v");
        assertThat(set.answer()).contains("\"expiration\":\"2023-11-14T22:13:25Z\",\"ttl\":5");
        now += 3_000_000_000L;
        assertThat(call("GET", "/v2/keys/t", null).answer()).contains("\"ttl\":2");
        now += 10_000_000_000L;
        assertThat(call("GET", "/v2/keys/t", null).response.status()).isEqualTo(200);
        cluster.expire(now);
        FakeExchange gone = call("GET", "/v2/keys/t", null);
        assertThat(gone.response.status()).isEqualTo(404);
        assertThat(gone.answer()).isEqualTo("{\"errorCode\":100,\"message\":\"Key not found\",\"cause\":\"/t\",\"index\":5}\n");
    }

    @Test
    void membersCanBeAddedUpdatedAndRemovedOnAHealthySingleNode() {
        FakeExchange add = new FakeExchange("POST", "/v2/members", "{\"peerURLs\":[\"http://127.0.0.1:9\"]}",
                "application/json");
        router.handle(add);
        assertThat(add.response.status()).isEqualTo(201);
        String id = add.answer().replaceAll(".*\"id\":\"([0-9a-f]+)\".*\\s*", "$1");
        assertThat(call("GET", "/v2/members", null).answer()).contains("http://127.0.0.1:9");
        assertThat(call("DELETE", "/v2/members/" + id, null).response.status()).isEqualTo(204);
        assertThat(call("DELETE", "/v2/members/" + id, null).answer())
                .isEqualTo("{\"message\":\"Member permanently removed: " + id + "\"}");
    }
}
