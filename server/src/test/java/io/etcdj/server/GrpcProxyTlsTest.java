package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.proxy.grpcproxy.GrpcProxy;
import io.etcdj.server.tls.TestPki;
import io.etcdj.server.tls.TlsMaterial;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC proxy between TLS on both sides: the cluster demands client certificates (the proxy
 * shows its --cert/--key and checks the members with --cacert), and the proxy's own listener
 * serves TLS with --cert-file/--key-file. Debian's etcdctl, trusting the CA, works through it.
 */
class GrpcProxyTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void etcdctlOverTlsReachesAClusterThatRequiresClientCertificates() throws Exception {
        ReferenceEtcdctl etcdctl = ReferenceEtcdctl.find();
        TestPki pki = new TestPki(dir.resolve("pki"));
        Path[] member = pki.leaf("etcd", "etcd");
        Path[] proxyPair = pki.leaf("proxy", "root");
        TransportSecurity server = new TransportSecurity(member[0].toString(), member[1].toString(), "", "",
                pki.caCert.toString(), true, "", List.of(), List.of(), false, false);
        try (EtcdCluster c = EtcdCluster.start(dir, 1, 10_000, 5_000, s -> s.withSecurity(server, server), "https");
             GrpcProxy proxy = GrpcProxy.to(IntStream.range(0, 1).mapToObj(c::clientUrl).toList(),
                     new GrpcProxy.UpstreamTls(proxyPair[0].toString(), proxyPair[1].toString(), pki.caCert.toString(), false), "")) {
            c.awaitLeader(WAIT);
            TransportSecurity listener = new TransportSecurity(member[0].toString(), member[1].toString(), "", "",
                    "", false, "", List.of(), List.of(), false, false);
            proxy.start(new InetSocketAddress("127.0.0.1", 0),
                    new GrpcProxy.ListenerTls(TlsMaterial.server(listener, dir.resolve("auto"), List.of("127.0.0.1"))));
            String via = "https://127.0.0.1:" + proxy.address().getPort();
            String ca = "--cacert=" + pki.caCert;

            assertThat(etcdctl.ok(via, ca, "put", "secure", "yes")).isEqualTo("OK\n");
            assertThat(etcdctl.ok(via, ca, "get", "secure", "--print-value-only")).isEqualTo("yes\n");
        }
    }
}
