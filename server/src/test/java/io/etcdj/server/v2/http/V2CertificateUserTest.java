package io.etcdj.server.v2.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.CapturedLogs;
import io.etcdj.server.v2.local.SingleNodeV2Cluster;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With --client-cert-auth and v2 auth enabled, a request without an Authorization header acts as
 * the user its client certificate's CN names (as etcd 3.4 does; compared by hand against the
 * reference etcd over https with openssl-made certificates); credentials, when sent, win.
 */
class V2CertificateUserTest {
    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    private final SingleNodeV2Cluster cluster = new SingleNodeV2Cluster("default", List.of("http://127.0.0.1:2380"),
            List.of("http://127.0.0.1:2379"), 0xabcL, 0xdefL, () -> 1_700_000_000L * 1_000_000_000L);
    private final V2Router router = new V2Router(cluster, () -> 1_700_000_000L * 1_000_000_000L, true);

    @BeforeEach
    void enableAuthWithAliceAndAReadOnlyGuest() {
        assertThat(call(json("PUT", "/v2/auth/users/root", "{\"user\":\"root\",\"password\":\"rootpw\"}")).response.status())
                .isEqualTo(201);
        call(json("PUT", "/v2/auth/roles/foo", "{\"role\":\"foo\",\"permissions\":{\"kv\":{\"read\":[\"/foo/*\"],\"write\":[\"/foo/*\"]}}}"));
        call(json("PUT", "/v2/auth/users/alice", "{\"user\":\"alice\",\"password\":\"alicepw\",\"roles\":[\"foo\"]}"));
        call(json("PUT", "/v2/auth/roles/guest", "{\"role\":\"guest\",\"permissions\":{\"kv\":{\"read\":[\"/pub\"],\"write\":[]}}}"));
        assertThat(call(new FakeExchange("PUT", "/v2/auth/enable", null)).response.status()).isEqualTo(200);
    }

    @Test
    void theCertificateNamesTheUserOfARequestWithoutCredentials() {
        assertThat(call(put("/v2/keys/foo/a").withCertificateNames("alice", "testca")).response.status()).isEqualTo(201);
        assertThat(call(put("/v2/keys/other").withCertificateNames("alice")).response.status()).isEqualTo(401);
        // a later certificate of the chain may name the user too
        assertThat(call(put("/v2/keys/foo/b").withCertificateNames("nobody", "alice")).response.status()).isEqualTo(201);
        // a CN that is no user: the guest role
        assertThat(call(get("/v2/keys/foo/a").withCertificateNames("server")).response.status()).isEqualTo(401);
        assertThat(call(get("/v2/keys/pub").withCertificateNames("server")).response.status()).isEqualTo(404);
        // credentials win over the certificate, wrong ones are refused
        assertThat(call(put("/v2/keys/foo/c").withCertificateNames("alice").with("Authorization", basic("alice:wrong")))
                .response.status()).isEqualTo(401);
    }

    @Test
    void refusalsAreLoggedWithEtcdsWarnings() {
        call(put("/v2/keys/other").withCertificateNames("alice"));
        call(get("/v2/keys/foo/a").with("Authorization", basic("alice:wrong")));
        call(get("/v2/auth/users").withCertificateNames("alice"));
        call(put("/v2/keys/private"));
        // messages and fields as etcd 3.4.23 logged them for the same requests
        assertThat(logs.count(e -> e.getFormattedMessage().equals("invalid access for user on key")
                && CapturedLogs.fields(e).equals(Map.of("user-name", "alice", "key", "/other")))).isOne();
        assertThat(logs.count(e -> e.getFormattedMessage().equals("incorrect password")
                && CapturedLogs.fields(e).equals(Map.of("user-name", "alice")))).isOne();
        assertThat(logs.count(e -> e.getFormattedMessage().equals("a user does not have root role for resource")
                && CapturedLogs.fields(e).equals(Map.of("root-user", "alice", "root-role-name", "root",
                        "resource-path", "/v2/auth/users")))).isOne();
        assertThat(logs.count(e -> e.getFormattedMessage().equals("invalid access for the guest role on key")
                && CapturedLogs.fields(e).equals(Map.of("role-name", "guest", "key", "/private")))).isOne();
        assertThat(logs.count(e -> e.getFormattedMessage().contains("alicepw") || e.getFormattedMessage()
                .contains("wrong") || CapturedLogs.fields(e).containsValue("wrong"))).as("no password logged").isZero();
    }

    @Test
    void administrationFollowsTheCertificateToo() {
        assertThat(call(get("/v2/auth/users").withCertificateNames("alice")).response.status()).isEqualTo(401);
        FakeExchange asRoot = call(get("/v2/auth/users").withCertificateNames("root"));
        assertThat(asRoot.response.status()).isEqualTo(200);
        assertThat(asRoot.answer()).contains("\"user\":\"alice\"", "\"user\":\"root\"");
        assertThat(call(new FakeExchange("DELETE", "/v2/auth/enable", null).withCertificateNames("server"))
                .response.status()).isEqualTo(401);
    }

    @Test
    void withoutClientCertAuthTheCertificateIsIgnored() {
        V2Router plain = new V2Router(cluster, () -> 1_700_000_000L * 1_000_000_000L, false);
        FakeExchange ex = put("/v2/keys/foo/a").withCertificateNames("alice");
        plain.handle(ex);
        assertThat(ex.response.status()).isEqualTo(401); // the guest may not write
    }

    private FakeExchange call(FakeExchange ex) {
        router.handle(ex);
        return ex;
    }

    private static FakeExchange json(String method, String target, String body) {
        return new FakeExchange(method, target, body, "application/json");
    }

    private static FakeExchange put(String target) {
        return new FakeExchange("PUT", target, "value=1");
    }

    private static FakeExchange get(String target) {
        return new FakeExchange("GET", target, null);
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
