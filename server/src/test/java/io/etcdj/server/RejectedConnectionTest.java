package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.tls.OpenSslPki;
import io.etcdj.server.tls.TlsHandshake;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client port with --trusted-ca-file (and no --client-cert-auth) refuses, as etcd 3.4 does, a
 * client without a certificate or with one from another CA, and plaintext; each refusal is
 * logged as etcd logs it, on the client port and on the peer port: "rejected connection" with the remote address and Go's reason (the
 * reasons were read off the reference etcd's log for the same handshakes).
 */
class RejectedConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path root;

    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    @Test
    void aTrustedCaAloneDemandsClientCertificatesAndEveryRefusalIsLogged() throws Exception {
        OpenSslPki pki = new OpenSslPki(root.resolve("pki"), "ca");
        OpenSslPki otherPki = new OpenSslPki(root.resolve("other-pki"), "otherca");
        Path[] member = pki.leaf("member", "etcd");
        TransportSecurity client = withCa(member, pki);
        try (EtcdCluster c = EtcdCluster.start(root.resolve("cluster"), 1, 10_000, 5_000,
                s -> s.withSecurity(client, client), "https")) {
            c.awaitLeader(WAIT);
            String url = c.member(0).settings().listenClientUrls().get(0);

            assertThat(TlsHandshake.with(url, withCa(pki.leaf("alice", "alice"), pki)).accepted()).isTrue();
            assertThat(TlsHandshake.with(url, withCa(null, pki)).accepted()).as("no certificate").isFalse();
            awaitRejection("tls: client didn't provide a certificate");
            assertThat(TlsHandshake.with(url, withCa(otherPki.leaf("bob", "bob"), pki)).accepted())
                    .as("a certificate from another CA").isFalse();
            awaitRejection("tls: failed to verify client certificate: x509: certificate signed by unknown authority");
            sendPlaintext(url);
            awaitRejection("tls: first record does not look like a TLS handshake");

            // the peer port (gRPC's own TLS) refuses and logs the same way
            String peerUrl = c.member(0).settings().listenPeerUrls().get(0);
            assertThat(TlsHandshake.with(peerUrl, withCa(null, pki)).accepted()).as("no certificate, peer port")
                    .isFalse();
            EtcdCluster.awaitCondition(WAIT, "a second refusal for a missing certificate",
                    () -> logs.count(e -> isRejection(e, "tls: client didn't provide a certificate")) >= 2);
        }
    }

    private static TransportSecurity withCa(Path[] pair, OpenSslPki pki) {
        return new TransportSecurity(pair == null ? "" : pair[0].toString(), pair == null ? "" : pair[1].toString(),
                "", "", pki.caCert.toString(), false, "", List.of(), List.of(), false, false);
    }

    private static void sendPlaintext(String url) throws Exception {
        URI u = URI.create(url);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 10_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the server closes the connection; whatever it answers before that is not a page
            byte[] answer = s.getInputStream().readAllBytes();
            assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("health");
        }
    }

    private void awaitRejection(String error) {
        logs.await(WAIT, "a rejected connection logged with " + error, e -> isRejection(e, error));
    }

    private static boolean isRejection(ch.qos.logback.classic.spi.ILoggingEvent e, String error) {
        Map<String, Object> f = CapturedLogs.fields(e);
        return e.getFormattedMessage().equals("rejected connection") && error.equals(f.get("error"))
                && String.valueOf(f.get("remote-addr")).startsWith("127.0.0.1:") && "".equals(f.get("server-name"));
    }
}
