package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.server.bootstrap.DiscoveryException;
import io.etcdj.server.config.EtcdConfig;
import io.etcdj.server.config.EtcdConfigParser;
import io.etcdj.server.config.StartupLog;
import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.tls.TestPki;
import io.etcdj.server.tls.TlsMaterial;
import io.etcdj.server.transport.MemberChannels;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * v3 discovery against a registry that serves clients only over TLS and wants a client
 * certificate: a member given --discovery-cert, --discovery-key and --discovery-cacert joins; one
 * without a certificate is refused by the registry and gives up after its retries.
 */
class V3DiscoveryTlsTest {
    @TempDir
    Path root;
    EtcdCluster registry;
    final List<EtcdMember> members = new ArrayList<>();
    final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        members.forEach(EtcdMember::close);
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theDiscoveryTlsFlagsReachARegistryThatWantsClientCertificates() throws Exception {
        TestPki pki = new TestPki(root.resolve("pki"));
        Path[] serverPair = pki.leaf("registry", "registry");
        Path[] clientPair = pki.leaf("member", "member");
        TransportSecurity server = new TransportSecurity(serverPair[0].toString(), serverPair[1].toString(), "", "",
                pki.caCert.toString(), true, "", List.of(), List.of(), false, false);
        registry = EtcdCluster.start(root.resolve("registry"), 1, 10_000, 5_000, s -> s.withSecurity(server, server),
                "https");
        registry.awaitLeader(Duration.ofSeconds(20));
        String endpoint = registry.member(0).settings().listenClientUrls().get(0);
        assertThat(endpoint).startsWith("https://");
        TransportSecurity asClient = new TransportSecurity(clientPair[0].toString(), clientPair[1].toString(), "", "",
                pki.caCert.toString(), false, "", List.of(), List.of(), false, false);
        ManagedChannel ch = MemberChannels.using(TlsMaterial.client(asClient, root.resolve("unused"), List.of()))
                .open(endpoint, 16 << 20);
        channels.add(ch);
        KVGrpc.newBlockingStub(ch).withDeadlineAfter(15, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                .setKey(ByteString.copyFromUtf8("/_etcd/registry/tls/_config/size"))
                .setValue(ByteString.copyFromUtf8("1")).build());

        // trusts the registry (--discovery-cacert) but has no certificate of its own
        V3DiscoveryClusterTest.MemberFlags plain = V3DiscoveryClusterTest.withArgs(
                V3DiscoveryClusterTest.flags(root, 1, "tls", endpoint), "--discovery-cacert", pki.caCert.toString());
        EtcdConfig withoutCert = EtcdConfigParser.parse(plain.args(), Map.of(), StartupLog.NONE);
        assertThatThrownBy(() -> EtcdMain.bootstrapSettings(withoutCert, false, V3DiscoveryClusterTest.FAST,
                StartupLog.NONE)).isInstanceOfSatisfying(DiscoveryException.class,
                e -> assertThat(e.reason()).isEqualTo(DiscoveryException.Reason.TOO_MANY_RETRIES));

        V3DiscoveryClusterTest.MemberFlags withCert = V3DiscoveryClusterTest.withArgs(
                V3DiscoveryClusterTest.flags(root, 2, "tls", endpoint),
                "--discovery-cert", clientPair[0].toString(), "--discovery-key", clientPair[1].toString(),
                "--discovery-cacert", pki.caCert.toString());
        EtcdConfig config = EtcdConfigParser.parse(withCert.args(), Map.of(), StartupLog.NONE);
        MemberSettings settings = EtcdMain.bootstrapSettings(config, false, V3DiscoveryClusterTest.FAST, StartupLog.NONE);
        assertThat(settings.initialCluster().toString()).isEqualTo("v2=" + withCert.peerUrl());
    }
}
