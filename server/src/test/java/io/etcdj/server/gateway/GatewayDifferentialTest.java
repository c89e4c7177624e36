package io.etcdj.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.AuthDisableRequest;
import io.etcdj.api.etcdserverpb.AuthEnableRequest;
import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.AuthRoleDeleteRequest;
import io.etcdj.api.etcdserverpb.AuthUserAddRequest;
import io.etcdj.api.etcdserverpb.AuthUserDeleteRequest;
import io.etcdj.api.etcdserverpb.AuthUserRevokeRoleRequest;
import io.etcdj.api.etcdserverpb.AuthenticateRequest;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same JSON requests go to the reference etcd 3.4's own /v3 gateway and to ours, which
 * forwards over gRPC to that same etcd; status line, headers (names, order, values; only Date is
 * left out) and bodies must be identical. Reads go to both over the same state. A write goes
 * to the reference first, so ours must answer exactly what the reference answered one revision
 * later. Where a step cannot be repeated (creating a user, granting a lease), the reference's
 * effect is undone over gRPC before our call. Auth tokens are the one masked value (each call
 * mints a new one).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayDifferentialTest {
    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

    private ReferenceEtcd etcd;
    private ManagedChannel channel;
    private NettyGatewayHttpServer ours;
    private int ourPort;

    @BeforeAll
    void start() throws Exception {
        // gRPC and Netty debug logs would drown the report of a failing comparison
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        etcd = new ReferenceEtcd();
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", etcd.clientPort).usePlaintext().build();
        ours = new NettyGatewayHttpServer(new JsonGateway(channel));
        ourPort = ours.start("127.0.0.1", 0);
    }

    @AfterAll
    void stop() throws InterruptedException {
        if (ours != null) {
            ours.close();
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    @Order(1)
    void putThenReadTheKeyBack() throws IOException {
        sameWrite("/v3/kv/put", "{\"key\": \"Zm9v\", \"value\": \"YmFy\"}");
        same("/v3/kv/range", "{\"key\": \"Zm9v\"}");
        same("/v3/kv/range", "{\"key\": \"Zm9v\", \"range_end\": \"Zm9w\"}");
        same("/v3/kv/range", "{\"key\":\"Zm9v\",\"rangeEnd\":\"Zm9w\",\"keysOnly\":true,\"sort_order\":\"DESCEND\","
                + "\"limit\":\"5\",\"revision\":0}");
        same("/v3/kv/range", "{\"key\":\"AA==\",\"range_end\":\"AA==\",\"count_only\":true}");
        same("/v3beta/kv/range", "{\"key\": \"Zm9v\"}");
        sameWrite("/v3/kv/put", "{\"key\":\"PGE+\",\"value\":\"PCY+\",\"lease\":\"0\"}");
        same("/v3/kv/range", "{\"key\":\"AA==\",\"range_end\":\"AA==\"}");
    }

    @Test
    @Order(2)
    void transactionsFromTheGuide() throws IOException {
        sameWrite("/v3/kv/txn", "{\"compare\":[{\"target\":\"CREATE\",\"key\":\"Zm9v\",\"createRevision\":\"2\"}],"
                + "\"success\":[{\"requestPut\":{\"key\":\"Zm9v\",\"value\":\"YmFy\"}}]}");
        same("/v3/kv/txn", "{\"compare\":[{\"version\":\"4\",\"result\":\"EQUAL\",\"target\":\"VERSION\",\"key\":\"Zm9v\"}],"
                + "\"success\":[{\"requestRange\":{\"key\":\"Zm9v\"}}]}");
        same("/v3/kv/txn", "{\"compare\":[{\"value\":\"\",\"target\":\"VALUE\",\"key\":\"Zm9v\",\"result\":\"GREATER\"}],"
                + "\"failure\":[{\"request_range\":{\"key\":\"Zm9v\",\"keys_only\":true}}]}");
    }

    @Test
    @Order(3)
    void requestsTheServerRejects() throws IOException {
        same("/v3/kv/put", "{\"key\": \"\"}");
        same("/v3/kv/put", "");
        same("/v3/kv/range", "{}");
        same("/v3/kv/deleterange", "{\"key\":\"\"}");
        same("/v3/kv/txn", "{\"success\":[{\"requestPut\":{\"key\":\"a2s=\"}},{\"requestPut\":{\"key\":\"a2s=\"}}]}");
        same("/v3/auth/enable", "{}");
        same("/v3/lease/revoke", "{\"ID\":424242}");
        same("/v3/kv/lease/timetolive", "{\"ID\":\"424242\"}");
        same("/v3/maintenance/transfer-leadership", "{\"targetID\":\"1\"}");
    }

    @Test
    @Order(4)
    void bodiesTheGatewayCannotDecode() throws IOException {
        for (String body : List.of("{\"key\": ", "nope", "[1]", "\"x\"", "12x", "{\"key\":\"Zm9\"}", "{\"key\":\"Zm9v\"",
                "{\"key\":5}", "{\"key\":\"Zm9v\",\"limit\":1.5}", "{\"key\":\"Zm9v\",\"revision\":\"abc\"}",
                "{\"key\":\"Zm9v\",\"revision\":\"\"}", "{\"serializable\":\"true\"}", "{\"sort_order\":\"SIDEWAYS\"}",
                "{\"sort_target\":7}", "{\"key\":\"Zm9v\" \"x\":1}", "{key:1}", "{\"a\":tru}", "{\"a\":-}", "{\"a\":1.}",
                "{\"a\":1e}", "{\"a\":\"\\q\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":[1 2]}", "{\"key\":null,\"limit\":null}",
                "   ", "{\"key\":\"Zm9v\"} trailing", "{\"key\":\"Zm=9\"}", "{\"key\":\"Zg==Zg==\"}", "{\"limit\":99999999999999999999}",
                "{\"limit\":true}", "{\"keys_only\":1}", "{\"key\":[1]}", "{\"key\":[256]}", "{\"key\":[\"a\"]}",
                "{\"key\":\"Zm9v\",\"range_end\":{}}", "{\"key\":\"Zm9v\",\"sort_order\":1}", "{\"limit\":\" 1\"}", "{\"unknown\":{\"deep\":[1,2]}}")) {
            same("/v3/kv/range", body);
        }
    }

    @Test
    @Order(5)
    void pathsAndMethodsOutsideTheRoutes() throws IOException {
        compare(RawHttp.exchange(etcd.clientPort, "GET", "/v3/kv/range", List.of(), null),
                RawHttp.exchange(ourPort, "GET", "/v3/kv/range", List.of(), null), UnaryOperator.identity());
        compare(RawHttp.exchange(etcd.clientPort, "OPTIONS", "/v3/kv/range", List.of(), null),
                RawHttp.exchange(ourPort, "OPTIONS", "/v3/kv/range", List.of(), null), UnaryOperator.identity());
        same("/v3/kv/rangex", "{}");
        same("/v3beta/nothing", "{}");
    }

    @Test
    @Order(6)
    void compactedRevisions() throws IOException {
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        long rev = kv.range(RangeRequest.newBuilder().setKey(bytes("Zm9v")).build()).getHeader().getRevision();
        kv.compact(CompactionRequest.newBuilder().setRevision(rev).build());
        same("/v3/kv/range", "{\"key\":\"Zm9v\",\"revision\":\"1\"}");
        same("/v3/kv/compaction", "{\"revision\":\"1\"}");
        same("/v3/kv/range", "{\"key\":\"Zm9v\",\"revision\":\"99999\"}");
    }

    @Test
    @Order(7)
    void leaseGrantKeepAliveAndRevoke() throws IOException {
        LeaseGrpc.LeaseBlockingStub lease = LeaseGrpc.newBlockingStub(channel);
        sameAfterUndo("/v3/lease/grant", "{\"TTL\":60,\"ID\":7}",
                () -> lease.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(7).build()));
        same("/v3/lease/keepalive", "{\"ID\":7}");
        same("/v3/lease/keepalive", "{\"ID\":7}{\"ID\":\"7\"}");
        same("/v3/lease/keepalive", "{\"ID\":8}");
        same("/v3/lease/leases", "{}");
        same("/v3/kv/lease/leases", "{}");
        sameAfterUndo("/v3/kv/lease/revoke", "{\"ID\":7}",
                () -> lease.leaseGrant(LeaseGrantRequest.newBuilder().setID(7).setTTL(60).build()));
        same("/v3/lease/revoke", "{\"ID\":7}");
    }

    @Test
    @Order(8)
    void watchStreams() throws IOException {
        String body = "{\"create_request\": {\"key\":\"d2F0Y2hlZA==\"} }\n{\"create_request\":{\"key\":\"b3RoZXI=\",\"prev_kv\":true}}";
        try (RawHttp ref = RawHttp.open(etcd.clientPort, "POST", "/v3/watch", List.of(), body);
             RawHttp our = RawHttp.open(ourPort, "POST", "/v3/watch", List.of(), body)) {
            assertThat(head(our)).isEqualTo(head(ref));
            assertThat(our.readLine()).isEqualTo(ref.readLine());
            assertThat(our.readLine()).isEqualTo(ref.readLine());
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
            kv.put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("watched")).setValue(ByteString.copyFromUtf8("v")).build());
            assertThat(our.readLine()).isEqualTo(ref.readLine());
            kv.deleteRange(DeleteRangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("watched")).build());
            String refDelete = ref.readLine();
            assertThat(refDelete).contains("\"type\":\"DELETE\"");
            assertThat(our.readLine()).isEqualTo(refDelete);
        }
        same("/v3/watch", "{\"create_request\": ");
        same("/v3/watch", "[]");
    }

    @Test
    @Order(9)
    void clusterAndMaintenance() throws IOException {
        same("/v3/cluster/member/list", "{}");
        // bbolt's sizes move as the reference commits in the background: masked (both bodies)
        compare(post(etcd.clientPort, "/v3/maintenance/status", "{}", List.of()),
                post(ourPort, "/v3/maintenance/status", "{}", List.of()),
                b -> b.replaceAll("\"(dbSize|dbSizeInUse)\":\"[0-9]+\"", "\"$1\":\"<n>\""));
        same("/v3/maintenance/alarm", "{}");
        same("/v3/maintenance/hash", "{}");
        same("/v3/maintenance/hash", "{\"revision\":0}");
        same("/v3/maintenance/hashkv", "{\"revision\":0}");
        same("/v3/auth/status", "{}");
        same("/v3/maintenance/downgrade", "{}");
        same("/v3/cluster/member/remove", "{\"ID\":\"1\"}");
    }

    @Test
    @Order(10)
    void lockAndElectionServices() throws IOException {
        same("/v3/lock/lock", "{\"name\":\"bG9jaw==\",\"lease\":\"12345\"}");
        same("/v3/lock/unlock", "{\"key\":\"bG9jaw==\"}");
        same("/v3/election/leader", "{\"name\":\"ZWxlY3Q=\"}");
        same("/v3/election/resign", "{}");
        same("/v3/election/proclaim", "{}");
        same("/v3/election/campaign", "{\"name\":\"ZWxlY3Q=\",\"lease\":\"12345\",\"value\":\"dg==\"}");
    }

    @Test
    @Order(11)
    void authenticationWithTheTokenHeader() throws IOException {
        AuthGrpc.AuthBlockingStub auth = AuthGrpc.newBlockingStub(channel);
        sameAfterUndo("/v3/auth/user/add", "{\"name\": \"root\", \"password\": \"pass\"}",
                () -> auth.userDelete(AuthUserDeleteRequest.newBuilder().setName("root").build()));
        same("/v3/auth/user/add", "{\"name\": \"root\", \"password\": \"pass\"}");
        sameAfterUndo("/v3/auth/role/add", "{\"name\": \"root\"}",
                () -> auth.roleDelete(AuthRoleDeleteRequest.newBuilder().setRole("root").build()));
        sameAfterUndo("/v3/auth/user/grant", "{\"user\": \"root\", \"role\": \"root\"}",
                () -> auth.userRevokeRole(AuthUserRevokeRoleRequest.newBuilder().setName("root").setRole("root").build()));
        same("/v3/auth/user/get", "{\"name\":\"root\"}");
        auth.userAdd(AuthUserAddRequest.newBuilder().setName("<x&y> \"q\" \u00e9\u2028")
                .setPassword("p").build());
        same("/v3/auth/user/list", "{}");
        auth.userDelete(AuthUserDeleteRequest.newBuilder().setName("<x&y> \"q\" \u00e9\u2028").build());
        sameAfterUndo("/v3/auth/enable", "{}", () -> {
            String token = auth.authenticate(AuthenticateRequest.newBuilder().setName("root").setPassword("pass").build()).getToken();
            withToken(auth, token).authDisable(AuthDisableRequest.getDefaultInstance());
        });

        HttpReply refAuth = post(etcd.clientPort, "/v3/auth/authenticate", "{\"name\": \"root\", \"password\": \"pass\"}", List.of());
        HttpReply ourAuth = post(ourPort, "/v3/auth/authenticate", "{\"name\": \"root\", \"password\": \"pass\"}", List.of());
        UnaryOperator<String> maskToken = s -> s.replaceAll("\"token\":\"[^\"]*\"", "\"token\":\"<token>\"");
        compare(refAuth, ourAuth, maskToken);
        String refToken = token(refAuth);
        String ourToken = token(ourAuth);

        HttpReply refPut = post(etcd.clientPort, "/v3/kv/put", "{\"key\": \"Zm9v\", \"value\": \"YmFy\"}", authorization(refToken));
        HttpReply ourPut = post(ourPort, "/v3/kv/put", "{\"key\": \"Zm9v\", \"value\": \"YmFy\"}", authorization(ourToken));
        compare(refPut, ourPut, UnaryOperator.identity(), GatewayDifferentialTest::nextRevision);
        compare(post(etcd.clientPort, "/v3/kv/range", "{\"key\":\"Zm9v\"}", authorization(refToken)),
                post(ourPort, "/v3/kv/range", "{\"key\":\"Zm9v\"}", authorization(ourToken)), UnaryOperator.identity());
        same("/v3/kv/range", "{\"key\":\"Zm9v\"}");
        compare(post(etcd.clientPort, "/v3/kv/range", "{\"key\":\"Zm9v\"}", authorization("bogus.1")),
                post(ourPort, "/v3/kv/range", "{\"key\":\"Zm9v\"}", authorization("bogus.1")), UnaryOperator.identity());
        same("/v3/auth/authenticate", "{\"name\": \"root\", \"password\": \"wrong\"}");

        HttpReply refDisable = post(etcd.clientPort, "/v3/auth/disable", "{}", authorization(refToken));
        auth.authEnable(AuthEnableRequest.getDefaultInstance()); // disabling dropped every token
        String freshToken = token(post(ourPort, "/v3/auth/authenticate", "{\"name\": \"root\", \"password\": \"pass\"}", List.of()));
        HttpReply ourDisable = post(ourPort, "/v3/auth/disable", "{}", authorization(freshToken));
        compare(refDisable, ourDisable, UnaryOperator.identity());
        assertThat(ourDisable.status()).isEqualTo(200);
    }

    // ---- the comparison machinery ----

    /** Both gateways read the same state: the replies must be identical. */
    private void same(String path, String body) throws IOException {
        compare(post(etcd.clientPort, path, body, List.of()), post(ourPort, path, body, List.of()), UnaryOperator.identity());
    }

    /** A write: ours runs right after the reference's, so it answers one revision later. */
    private void sameWrite(String path, String body) throws IOException {
        compare(post(etcd.clientPort, path, body, List.of()), post(ourPort, path, body, List.of()),
                UnaryOperator.identity(), GatewayDifferentialTest::nextRevision);
    }

    /** A step that cannot be repeated: the reference's effect is undone over gRPC before ours. */
    private void sameAfterUndo(String path, String body, Runnable undo) throws IOException {
        HttpReply ref = post(etcd.clientPort, path, body, List.of());
        assertThat(ref.status()).as(ref.transcript()).isEqualTo(200);
        undo.run();
        compare(ref, post(ourPort, path, body, List.of()), UnaryOperator.identity());
    }

    private void compare(HttpReply ref, HttpReply our, UnaryOperator<String> mask) {
        compare(ref, our, mask, UnaryOperator.identity());
    }

    /**
     * Compares the transcripts after {@code mask} (applied to both bodies) and {@code expect}
     * (turns the reference's body into the one ours must give); Content-Length is checked
     * against each body and then compared after the same transformations.
     */
    private void compare(HttpReply ref, HttpReply our, UnaryOperator<String> mask, UnaryOperator<String> expect) {
        assertContentLengthMatchesBody(ref);
        assertContentLengthMatchesBody(our);
        String expected = withBody(ref, expect.apply(mask.apply(ref.body()))).transcript();
        String actual = withBody(our, mask.apply(our.body())).transcript();
        assertThat(actual).as("reference said:\n%s", ref.transcript()).isEqualTo(expected);
    }

    private static void assertContentLengthMatchesBody(HttpReply r) {
        String cl = r.headers().stream().filter(e -> e.getKey().equals("Content-Length")).map(Map.Entry::getValue)
                .findFirst().orElse(null);
        if (cl != null) {
            assertThat(Integer.parseInt(cl)).as(r.transcript()).isEqualTo(r.body().getBytes(StandardCharsets.UTF_8).length);
        }
    }

    private static HttpReply withBody(HttpReply r, String body) {
        List<Map.Entry<String, String>> headers = r.headers().stream()
                .map(e -> e.getKey().equals("Content-Length")
                        ? Map.entry(e.getKey(), Integer.toString(body.getBytes(StandardCharsets.UTF_8).length)) : e)
                .toList();
        return new HttpReply(r.statusLine(), headers, body, r.trailers());
    }

    private static final Pattern REVISION = Pattern.compile("\"revision\":\"(\\d+)\"");

    /** Every header revision advanced by one: what the same write answers right after. */
    private static String nextRevision(String body) {
        Matcher m = REVISION.matcher(body);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, "\"revision\":\"" + (Long.parseLong(m.group(1)) + 1) + "\"");
        }
        return m.appendTail(out).toString();
    }

    private static HttpReply post(int port, String path, String body, List<Map.Entry<String, String>> headers)
            throws IOException {
        return RawHttp.exchange(port, "POST", path, headers, body);
    }

    private static String head(RawHttp r) {
        return r.statusLine + "\n" + r.headers.stream().filter(e -> !e.getKey().equals("Date"))
                .map(e -> e.getKey() + ": " + e.getValue()).reduce("", (a, b) -> a + b + "\n");
    }

    private static List<Map.Entry<String, String>> authorization(String token) {
        return List.of(Map.entry("Authorization", token));
    }

    private static String token(HttpReply r) {
        Matcher m = Pattern.compile("\"token\":\"([^\"]*)\"").matcher(r.body());
        assertThat(m.find()).as(r.transcript()).isTrue();
        return m.group(1);
    }

    private static AuthGrpc.AuthBlockingStub withToken(AuthGrpc.AuthBlockingStub stub, String token) {
        Metadata md = new Metadata();
        md.put(TOKEN, token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    private static ByteString bytes(String base64) {
        return ByteString.copyFrom(Base64.getDecoder().decode(base64));
    }
}
