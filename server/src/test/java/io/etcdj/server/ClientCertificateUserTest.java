package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.authpb.Permission;
import io.etcdj.api.etcdserverpb.AuthDisableRequest;
import io.etcdj.api.etcdserverpb.AuthEnableRequest;
import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.AuthRoleAddRequest;
import io.etcdj.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.etcdj.api.etcdserverpb.AuthUserAddRequest;
import io.etcdj.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.etcdj.api.etcdserverpb.AuthenticateRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.server.auth.AuthSettings;
import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.tls.TestPki;
import io.etcdj.server.tls.TlsMaterial;
import io.etcdj.server.transport.MemberChannels;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --client-cert-auth with auth enabled: a gRPC call without a token is made by the user its
 * client certificate's CN names (a token, when given, wins); the JSON gateway refuses a client
 * whose certificate has a CN with etcd 3.4's 400, and serves it again once auth is disabled.
 */
class ClientCertificateUserTest {
    @TempDir
    Path root;
    private final List<ManagedChannel> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(ManagedChannel::shutdownNow);
    }

    @Test
    void theCertificatesCommonNameIsTheUserOfACallWithoutAToken() throws Exception {
        TestPki pki = new TestPki(root.resolve("pki"));
        Path[] member = pki.leaf("etcd", "etcd");
        TransportSecurity server = new TransportSecurity(member[0].toString(), member[1].toString(), "", "",
                pki.caCert.toString(), true, "", List.of(), List.of(), false, false);
        try (EtcdCluster c = EtcdCluster.start(root.resolve("c"), 1, 10_000, 5_000,
                s -> s.withSecurity(server, server).withAuth(new AuthSettings(4, Duration.ofMinutes(5))),
                "https")) {
            c.awaitLeader(Duration.ofSeconds(20));
            String url = c.member(0).settings().listenClientUrls().get(0);
            TransportSecurity asRoot = client(pki, pki.leaf("root", "root"));
            TransportSecurity asAlice = client(pki, pki.leaf("alice", "alice"));
            TransportSecurity asNobody = client(pki, pki.leaf("nobody", "nobody"));

            AuthGrpc.AuthBlockingStub admin = AuthGrpc.newBlockingStub(channel(url, asRoot))
                    .withDeadlineAfter(10, TimeUnit.SECONDS);
            admin.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("r").build());
            admin.roleAdd(AuthRoleAddRequest.newBuilder().setName("root").build());
            admin.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
            admin.userAdd(AuthUserAddRequest.newBuilder().setName("alice").setPassword("a").build());
            admin.roleAdd(AuthRoleAddRequest.newBuilder().setName("reader").build());
            admin.roleGrantPermission(AuthRoleGrantPermissionRequest.newBuilder().setName("reader")
                    .setPerm(Permission.newBuilder().setPermType(Permission.Type.READ).setKey(bytes("a"))).build());
            admin.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("alice").setRole("reader").build());
            String rootBody = "{\"key\":\"YQ==\"}";
            assertThat(gateway(url, asRoot, rootBody).statusCode()).as("auth still off").isEqualTo(200);
            admin.authEnable(AuthEnableRequest.getDefaultInstance());

            kv(url, asRoot, null).put(PutRequest.newBuilder().setKey(bytes("a")).setValue(bytes("1")).build());
            assertThat(kv(url, asAlice, null).range(get("a")).getCount()).isEqualTo(1);
            denied(() -> kv(url, asAlice, null).put(PutRequest.newBuilder().setKey(bytes("a")).build()));
            denied(() -> kv(url, asNobody, null).range(get("a")));
            String aliceToken = AuthGrpc.newBlockingStub(channel(url, asRoot)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .authenticate(AuthenticateRequest.newBuilder().setName("alice").setPassword("a").build()).getToken();
            denied(() -> kv(url, asRoot, aliceToken).put(PutRequest.newBuilder().setKey(bytes("a")).build()));

            HttpResponse<String> refused = gateway(url, asRoot, rootBody);
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body())
                    .isEqualTo("CommonName of client sending a request against gateway will be ignored and not used as expected\n");
            assertThat(refused.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");

            AuthGrpc.newBlockingStub(channel(url, asRoot)).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .authDisable(AuthDisableRequest.getDefaultInstance());
            assertThat(gateway(url, asRoot, rootBody).body()).contains("\"count\":\"1\"");
        }
    }

    private static TransportSecurity client(TestPki pki, Path[] pair) {
        return new TransportSecurity(pair[0].toString(), pair[1].toString(), "", "", pki.caCert.toString(), false, "",
                List.of(), List.of(), false, false);
    }

    private ManagedChannel channel(String url, TransportSecurity as) throws Exception {
        ManagedChannel ch = MemberChannels.using(TlsMaterial.client(as, root.resolve("unused"), List.of()))
                .open(url, 16 << 20);
        opened.add(ch);
        return ch;
    }

    private KVGrpc.KVBlockingStub kv(String url, TransportSecurity as, String token) throws Exception {
        KVGrpc.KVBlockingStub stub = KVGrpc.newBlockingStub(channel(url, as)).withDeadlineAfter(10, TimeUnit.SECONDS);
        if (token == null) {
            return stub;
        }
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    private HttpResponse<String> gateway(String url, TransportSecurity as, String body) throws Exception {
        HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsMaterial.client(as, root.resolve("unused"), List.of()).sslContext()).build();
        return https.send(HttpRequest.newBuilder(URI.create(url + "/v3/kv/range"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void denied(ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: permission denied"));
    }

    private static RangeRequest get(String key) {
        return RangeRequest.newBuilder().setKey(bytes(key)).build();
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
