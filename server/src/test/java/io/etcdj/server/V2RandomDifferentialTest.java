package io.etcdj.server;

import io.etcdj.server.gateway.HttpReply;
import io.etcdj.server.gateway.RawHttp;
import io.etcdj.server.gateway.ReferenceEtcd;
import io.etcdj.server.v2random.RandomV2Run;
import io.etcdj.server.v2random.TwoServers;
import io.etcdj.server.v2random.V2AnswerView;
import io.etcdj.server.v2random.V2Step;
import io.etcdj.testsupport.Await;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded random sequence of v2 keys requests (curl's view: raw HTTP), the same to the reference
 * etcd 3.4.23 (--enable-v2) and to one of our members (v2 on); every answer must read the same
 * (see {@link V2AnswerView}), X-Etcd-Index values included: both stores start from the same
 * index and take the same writes.
 *
 * <p>{@code -Drandv2.seed=S} replays a run, {@code -Drandv2.steps=N} sets its length (defaults:
 * a write-heavy seed whose run passes etcd's 1000-event watch window, within CI's time).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class V2RandomDifferentialTest {
    private static final long DEFAULT_SEED = 8;
    private static final int DEFAULT_STEPS = 1500;

    @TempDir
    static Path dir;

    private ReferenceEtcd reference;
    private EtcdCluster ours;
    private TwoServers servers;

    @BeforeAll
    void start() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            reference = new ReferenceEtcd("--enable-v2", "--heartbeat-interval=20", "--election-timeout=200");
        } catch (IOException e) {
            throw new AssertionError("the reference etcd did not start", e);
        }
        ours = EtcdCluster.start(dir, 1, 10_000, 5_000, s -> s.withEnableV2(true));
        ours.awaitLeader(Duration.ofSeconds(20));
        int ourPort = URI.create(ours.clientUrl(0)).getPort();
        long seed = Long.getLong("randv2.seed", DEFAULT_SEED);
        int steps = Integer.getInteger("randv2.steps", DEFAULT_STEPS);
        servers = new TwoServers(reference.clientPort, ourPort, "replay: -Drandv2.seed=" + seed + " -Drandv2.steps=" + steps);
        // both publish their member and set the cluster version in the store after starting
        Await.until(Duration.ofSeconds(30), "the same v2 index on both servers after their start", () ->
                Objects.equals(index(reference.clientPort), index(ourPort)));
    }

    @AfterAll
    void stop() {
        try (ReferenceEtcd r = reference; EtcdCluster o = ours; TwoServers s = servers) {
            // closed in reverse order, each even if another fails
        }
    }

    /** A key with a 1 s TTL expires on both, its watcher sees the same expire event, and so does a later waitIndex. */
    @Test
    @Order(1)
    void aShortTtlExpiresTheSameWay() {
        HttpReply set = servers.same("expiry", put("/v2/keys/expiring/k?ttl=1", "value=soon"));
        long setIndex = Long.parseLong(V2AnswerView.header(set, "X-Etcd-Index"));
        List<TwoServers.Watch> watch = servers.watch(List.of(get("/v2/keys/expiring/k?wait=true")));
        watch.get(0).same("the expire event, live");
        servers.same("expired", get("/v2/keys/expiring/k"));
        servers.same("the expire event from the history", get("/v2/keys/expiring?wait=true&recursive=true&waitIndex="
                + (setIndex + 1)));
        servers.same("expiry", get("/v2/keys/expiring?recursive=true"));
    }

    /**
     * A key or value is the bytes its URL spells, raw or escaped, UTF-8 or not: keys that differ in
     * a byte that is not UTF-8 are two keys (Go's JSON shows both bytes as \ufffd), a raw "é" in the
     * request line is the "é" that %C3%A9 spells (Netty reads the line one char a byte).
     */
    @Test
    @Order(2)
    void keysAndValuesAreTheBytesTheUrlSpells() {
        servers.same("bytes", put("/v2/keys/bytes/a%FF", "value=1"));
        servers.same("bytes", get("/v2/keys/bytes/a%FE"));
        servers.same("bytes", put("/v2/keys/bytes/v", "value=x%FFy%C3%E2%80"));
        servers.same("bytes", put("/v2/keys/bytes/v?prevValue=x%FEy%C3%E2%80", "value=2"));
        servers.same("bytes", put("/v2/keys/bytes/café?value=ü☃", null)); // seed 24 found the raw path
        servers.same("bytes", get("/v2/keys/bytes/caf%C3%A9"));
        servers.same("bytes", put("/v2/keys/bytes/%F0%9F%98%80", "value=ü☃"));
        servers.same("bytes", get("/v2/keys/bytes?sorted=true&recursive=true"));
        servers.same("bytes", get("/v2/keys/bytes/v?wait=true&waitIndex=1"));
    }

    @Test
    @Order(3)
    void aRandomSequenceOfRequests() {
        long seed = Long.getLong("randv2.seed", DEFAULT_SEED);
        int steps = Integer.getInteger("randv2.steps", DEFAULT_STEPS);
        System.out.println("randv2: seed " + seed + ", " + steps + " steps");
        long started = System.nanoTime();
        RandomV2Run.Summary s = RandomV2Run.run(servers, seed, steps);
        System.out.printf("randv2: %s in %d ms%n", s, (System.nanoTime() - started) / 1_000_000);
    }

    private static V2Step put(String target, String form) {
        return new V2Step("PUT", target, form, List.of(), false, true, false, false, false);
    }

    private static V2Step get(String target) {
        return new V2Step("GET", target, null, List.of(), target.contains("sorted=true"), false, false, false, false);
    }

    private static String index(int port) {
        try {
            return V2AnswerView.header(RawHttp.exchange(port, "GET", "/v2/keys/", List.of(), null), "X-Etcd-Index");
        } catch (IOException e) {
            return null;
        }
    }
}
