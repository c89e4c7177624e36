package io.etcdj.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.AuthUserAddRequest;
import io.etcdj.api.etcdserverpb.AuthenticateRequest;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.server.pb.InternalRaftRequest;
import io.etcdj.server.pb.MemberAttributes;
import io.etcdj.server.pb.V2Request;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a slow-request or slow-apply warning prints of a request that carries a password. */
class SecretRedactionTest {
    @Test
    void aRepeatedTextFieldIsPrintedOneLinePerValue() {
        // a member's published attributes, applied slowly at start on a loaded machine, once threw here
        String content = SlowRequestLog.content(InternalRaftRequest.newBuilder().setId(7).setMemberAttributes(
                MemberAttributes.newBuilder().setMemberId(1).setName("m1")
                        .addClientUrls("http://127.0.0.1:2379").addClientUrls("http://127.0.0.2:2379")).build());
        assertThat(content).contains("client_urls: \"http://127.0.0.1:2379\" client_urls: \"http://127.0.0.2:2379\"");
    }

    @Test
    void anAuthenticateRequestIsPrintedWithoutItsPassword() {
        String content = SlowRequestLog.content(AuthenticateRequest.newBuilder().setName("root").setPassword("s3cret")
                .build());
        assertThat(content).contains("root").doesNotContain("s3cret").contains("<redacted>");
    }

    @Test
    void aNestedUserAddInARaftRequestIsPrintedWithoutItsPasswordOrHash() {
        String content = SlowRequestLog.content(InternalRaftRequest.newBuilder().setId(5).setAuthUserAdd(
                AuthUserAddRequest.newBuilder().setName("alice").setPassword("s3cret")
                        .setHashedPassword("$2a$10$abcdef")).build());
        assertThat(content).contains("alice").doesNotContain("s3cret").doesNotContain("abcdef");
    }

    @Test
    void aV2AuthRecordInARaftRequestIsPrintedWithoutItsHash() {
        String hash = "$2a$10$" + "N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
        String content = SlowRequestLog.content(InternalRaftRequest.newBuilder().setId(6).setV2(
                V2Request.newBuilder().setMethod("PUT").setPath("/2/users/alice")
                        .setVal("{\"user\":\"alice\",\"password\":\"" + hash + "\",\"roles\":null}")).build());
        assertThat(content).contains("/2/users/alice").doesNotContain(hash).doesNotContain("N9qo8uLO");
    }

    @Test
    void aPutIsPrintedWithItsValueSizeNotItsValueAlsoInsideATxn() {
        PutRequest put = PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("foo"))
                .setValue(ByteString.copyFromUtf8("a-large-value")).setLease(7).build();
        assertThat(SlowRequestLog.content(put)).isEqualTo("key: \"foo\" value_size: 13 lease: 7");
        String txn = SlowRequestLog.content(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder()
                        .setKey(ByteString.copyFromUtf8("foo")).setVersion(2))
                .addSuccess(RequestOp.newBuilder().setRequestPut(put)).build());
        assertThat(txn).isEqualTo("compare { key: \"foo\" version: 2 } "
                + "success { request_put { key: \"foo\" value_size: 13 lease: 7 } }");
    }

    @Test
    void namesThatAreNotSecretsAreLeftAlone() {
        assertThat(SecretRedaction.isSecretName("initial-cluster-token")).isFalse();
        assertThat(SecretRedaction.redactText("--initial-cluster-token=etcd-cluster-1"))
                .isEqualTo("--initial-cluster-token=etcd-cluster-1");
        assertThat(SecretRedaction.redactText("key: \"foo\" value: \"bar\"")).isEqualTo("key: \"foo\" value: \"bar\"");
        assertThat(SecretRedaction.redactText("--peer-key-file=/etc/etcd/peer.key")).contains("/etc/etcd/peer.key");
    }

    @Test
    void aJwtAuthTokenIsRedactedWhereverItStandsAndTheKeyFilesOfTheFlagAreNot() {
        String jwt = "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3OTY1Nzg4NjcsInJldmlzaW9uIjo0LCJ1c2VybmFtZSI6In"
                + "Jvb3QifQ.hnuPiFoF-6qxHB13ryRp0meNMd7JZHTxCZAv5YzqTUibyAfmQBwZfIVuX5UZ9l";
        assertThat(SecretRedaction.redactText("invalid auth token: " + jwt)).isEqualTo("invalid auth token: <redacted>");
        assertThat(SecretRedaction.redactText("header:{} token:\"" + jwt + "\"")).doesNotContain("eyJ");
        String flag = "--auth-token=jwt,pub-key=/etc/etcd/jwt.pub,priv-key=/etc/etcd/jwt.key,sign-method=RS256";
        assertThat(SecretRedaction.redactText(flag)).contains("sign-method=RS256").doesNotContain("eyJ");
    }

    @Test
    void redactionTakesLinearTimeOnLongWords() {
        String word = "x".repeat(200_000) + " password=hunter2";
        long start = System.nanoTime();
        String out = SecretRedaction.redactText(word);
        assertThat(out).endsWith("password=<redacted>");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void onlyTextWithoutAnyPartOfASecretSkipsTheScan() {
        assertThat(SecretRedaction.mayHoldSecret("key: \"foo\" value_size: 13 lease: 7")).isFalse();
        assertThat(SecretRedaction.mayHoldSecret("name: \"root\" PassWd: \"x\"")).isTrue();
        assertThat(SecretRedaction.redactText("SECRET=abc")).isEqualTo("SECRET=<redacted>");
        assertThat(SecretRedaction.redactText("Private_Key: abc")).isEqualTo("Private_Key: <redacted>");
        assertThat(SecretRedaction.redactText("-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----"))
                .isEqualTo("<redacted>");
        assertThat(SecretRedaction.isSecretName("--peer-client-cert-auth")).isFalse();
        assertThat(SecretRedaction.isSecretName("--Password")).isTrue();
    }
}
