package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.AuthEnableRequest;
import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.AuthRoleAddRequest;
import io.etcdj.api.etcdserverpb.AuthUserAddRequest;
import io.etcdj.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.etcdj.api.etcdserverpb.AuthenticateRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.server.auth.AuthSettings;
import io.etcdj.server.tls.OpenSsl;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three members started with the same --auth-token jwt keys: a token one member issued is
 * accepted by the others at once (no state travels), a change of the auth store makes it old as
 * in etcd, and a forged or expired token is "etcdserver: invalid auth token".
 */
class JwtAuthClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aTokenFromOneMemberIsAcceptedByTheOthersAndForgedOrExpiredOnesAreNot() throws Exception {
        OpenSsl.run(dir, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "jwt.key");
        OpenSsl.run(dir, "ec", "-in", "jwt.key", "-pubout", "-out", "jwt.pub");
        String spec = "jwt,pub-key=" + dir.resolve("jwt.pub") + ",priv-key=" + dir.resolve("jwt.key")
                + ",sign-method=ES256,ttl=2s";
        try (EtcdCluster c = EtcdCluster.start(dir.resolve("cluster"), 3,
                new AuthSettings(4, Duration.ofSeconds(300)).withTokenSpec(spec))) {
            c.awaitLeader(WAIT);
            AuthGrpc.AuthBlockingStub open = withToken(AuthGrpc.newBlockingStub(c.channel(0)), null);
            open.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("x").build());
            open.roleAdd(AuthRoleAddRequest.newBuilder().setName("root").build());
            open.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
            open.authEnable(AuthEnableRequest.getDefaultInstance());

            String token = authenticate(c, 0);
            assertThat(token.split("\\.")).hasSize(3);
            kv(c, 0, token).put(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("v")).build());
            for (int other : new int[] {1, 2}) {
                assertThat(kv(c, other, token).range(get("k")).getCount()).as("member %d", other).isEqualTo(1);
            }

            String[] parts = token.split("\\.");
            String forged = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
            fails(() -> kv(c, 1, forged).range(get("k")), Status.Code.UNAUTHENTICATED, "etcdserver: invalid auth token");
            fails(() -> kv(c, 1, "not-a-jwt").range(get("k")), Status.Code.UNAUTHENTICATED,
                    "etcdserver: invalid auth token");

            withToken(AuthGrpc.newBlockingStub(c.channel(0)), token)
                    .userAdd(AuthUserAddRequest.newBuilder().setName("bob").setPassword("y").build());
            fails(() -> kv(c, 2, token).range(get("k")), Status.Code.INVALID_ARGUMENT,
                    "etcdserver: revision of auth store is old");

            String fresh = authenticate(c, 2);
            assertThat(kv(c, 1, fresh).range(get("k")).getCount()).isEqualTo(1);
            long deadline = System.nanoTime() + WAIT.toNanos();
            StatusRuntimeException refused = null;
            while (refused == null && System.nanoTime() < deadline) { // the 2 s ttl passes
                try {
                    kv(c, 1, fresh).range(get("k"));
                } catch (StatusRuntimeException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("refused once expired").isNotNull();
            assertThat(refused.getStatus().getDescription()).isEqualTo("etcdserver: invalid auth token");
        }
    }

    private static String authenticate(EtcdCluster c, int member) {
        return withToken(AuthGrpc.newBlockingStub(c.channel(member)), null)
                .authenticate(AuthenticateRequest.newBuilder().setName("root").setPassword("x").build()).getToken();
    }

    private static KVGrpc.KVBlockingStub kv(EtcdCluster c, int i, String token) {
        return withToken(KVGrpc.newBlockingStub(c.channel(i)), token);
    }

    private static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        S s = stub.withDeadlineAfter(10, TimeUnit.SECONDS);
        if (token == null) {
            return s;
        }
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
        return s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    private static void fails(ThrowableAssert.ThrowingCallable call, Status.Code code,
                              String text) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).isEqualTo(text);
        });
    }

    private static RangeRequest get(String key) {
        return RangeRequest.newBuilder().setKey(bytes(key)).build();
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
