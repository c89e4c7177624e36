package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.tls.TestPki;
import io.etcdj.server.tls.TlsMaterial;
import io.etcdj.server.transport.MemberChannels;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 004's cluster: https on every client and peer URL, certificates signed by one CA (keys in
 * cfssl's PKCS#1 form), client certificates required on both ports. Raft runs over TLS, gRPC and
 * plain HTTP share each https client port, and a client without a certificate is turned away.
 */
class TlsClusterTest {
    @TempDir
    static Path root;
    static TestPki pki;
    static EtcdCluster cluster;
    static TransportSecurity clientWithCert;
    static TransportSecurity clientWithoutCert;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki(root.resolve("pki"));
        Path[] member = pki.leaf("etcd", "etcd");
        Path[] client = pki.leaf("client", "root");
        TransportSecurity server = security(member, true);
        cluster = EtcdCluster.start(root, 3, 10_000, 5_000, s -> s.withSecurity(server, server), "https");
        cluster.awaitLeader(Duration.ofSeconds(20));
        clientWithCert = security(client, false);
        clientWithoutCert = new TransportSecurity("", "", "", "", pki.caCert.toString(), false, "", List.of(),
                List.of(), false, false);
    }

    static TransportSecurity security(Path[] pair, boolean clientCertAuth) {
        return new TransportSecurity(pair[0].toString(), pair[1].toString(), "", "", pki.caCert.toString(),
                clientCertAuth, "", List.of(), List.of(), false, false);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static String clientUrl(int member) {
        return cluster.member(member).settings().listenClientUrls().get(0);
    }

    static KVGrpc.KVBlockingStub kv(int member, TransportSecurity as, List<ManagedChannel> opened) throws Exception {
        ManagedChannel ch = MemberChannels.using(TlsMaterial.client(as, root.resolve("unused"), List.of()))
                .open(clientUrl(member), 16 << 20);
        opened.add(ch);
        return KVGrpc.newBlockingStub(ch).withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    @Test
    void aWriteOverTlsIsReplicatedOverTlsPeerLinks() throws Exception {
        List<ManagedChannel> opened = new ArrayList<>();
        try {
            kv(0, clientWithCert, opened).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("tls"))
                    .setValue(ByteString.copyFromUtf8("on")).build());
            assertThat(kv(2, clientWithCert, opened).range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("tls")).build()).getKvs(0).getValue().toStringUtf8()).isEqualTo("on");
        } finally {
            opened.forEach(ManagedChannel::shutdownNow);
        }
    }

    @Test
    void aClientWithoutACertificateIsRefused() throws Exception {
        List<ManagedChannel> opened = new ArrayList<>();
        try {
            KVGrpc.KVBlockingStub stub = kv(1, clientWithoutCert, opened).withDeadlineAfter(5, TimeUnit.SECONDS);
            assertThatThrownBy(() -> stub.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("tls")).build()))
                    .isInstanceOf(StatusRuntimeException.class);
        } finally {
            opened.forEach(ManagedChannel::shutdownNow);
        }
    }

    @Test
    void healthAnswersOverHttpsOnTheSamePort() throws Exception {
        HttpClient https = HttpClient.newBuilder()
                .sslContext(TlsMaterial.client(clientWithCert, root.resolve("unused"), List.of()).sslContext())
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(clientUrl(1) + "/health"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"health\":\"true\",\"reason\":\"\"}");
    }
}
