package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.config.TlsPolicy;
import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.tls.CertificateNames;
import io.etcdj.server.tls.OpenSsl;
import io.etcdj.server.tls.OpenSslPki;
import io.etcdj.server.tls.TlsHandshake;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's rules on who may connect over TLS, with certificates made by openssl: allowed CNs and
 * host names on the peer and client ports, revocation lists, cipher suites and TLS versions, and
 * certificates and CAs rotated on disk taking effect on the next connection without a restart.
 */
class TlsPortRulesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path root;
    OpenSslPki pki;
    Path[] member;

    @RegisterExtension
    final CapturedLogs logs = new CapturedLogs();

    @BeforeEach
    void pki() throws Exception {
        pki = new OpenSslPki(root.resolve("pki"), "ca");
        member = pki.leaf("member", "etcd");
    }

    TransportSecurity sec(Path[] pair, boolean clientCertAuth) {
        return new TransportSecurity(pair[0].toString(), pair[1].toString(), "", "", pki.caCert.toString(),
                clientCertAuth, "", List.of(), List.of(), false, false);
    }

    EtcdCluster start(int size, TransportSecurity client, TransportSecurity peer) {
        EtcdCluster c = EtcdCluster.start(root.resolve("cluster"), size, 10_000, 5_000,
                s -> s.withSecurity(client, peer), "https");
        c.awaitLeader(WAIT);
        return c;
    }

    static String clientUrl(EtcdCluster c, int i) {
        return c.member(i).settings().listenClientUrls().get(0);
    }

    static String peerUrl(EtcdCluster c, int i) {
        return c.member(i).settings().listenPeerUrls().get(0);
    }

    @Test
    void peersWhoseCertificateHasTheAllowedCnFormTheClusterAndAnotherCnIsRefused() throws Exception {
        TransportSecurity peer = sec(member, true).withAllowed(List.of("etcd"), List.of());
        TransportSecurity intruder = sec(pki.leaf("intruder", "intruder"), false);
        try (EtcdCluster c = start(3, sec(member, false), peer)) {
            for (int i = 0; i < 3; i++) {
                assertThat(TlsHandshake.with(peerUrl(c, i), sec(member, false)).accepted()).isTrue();
                TlsHandshake.Outcome refused = TlsHandshake.with(peerUrl(c, i), intruder);
                assertThat(refused.accepted()).as("a peer with CN=intruder").isFalse();
            }
            assertThat(TlsHandshake.with(clientUrl(c, 0), intruder).accepted()).as("the client port has no CN rule")
                    .isTrue();
        }
    }

    @Test
    void allowedHostNamesOnThePeerPortAndAllowedCnsOrHostNamesOnTheClientPort() throws Exception {
        TransportSecurity peer = sec(member, true).withAllowed(List.of(), List.of("etcd.example"));
        TransportSecurity client = sec(member, true).withAllowed(List.of("alice"), List.of("client.example"));
        TransportSecurity namedPeer = sec(pki.leaf("named", "anyone", "DNS:etcd.example"), false);
        TransportSecurity wildcardPeer = sec(pki.leaf("wild", "anyone", "DNS:*.example"), false);
        TransportSecurity otherPeer = sec(pki.leaf("other", "etcd", "DNS:other.example", "IP:127.0.0.1"), false);
        TransportSecurity alice = sec(pki.leaf("alice", "alice", "DNS:nowhere.example"), false);
        TransportSecurity bob = sec(pki.leaf("bob", "bob", "DNS:client.example"), false);
        TransportSecurity carol = sec(pki.leaf("carol", "carol", "DNS:nowhere.example"), false);
        try (EtcdCluster c = start(1, client, peer)) {
            assertThat(TlsHandshake.with(peerUrl(c, 0), namedPeer).accepted()).isTrue();
            assertThat(TlsHandshake.with(peerUrl(c, 0), wildcardPeer).accepted()).isTrue();
            assertThat(TlsHandshake.with(peerUrl(c, 0), otherPeer).accepted()).as("SAN other.example").isFalse();
            assertThat(TlsHandshake.with(clientUrl(c, 0), alice).accepted()).as("allowed CN").isTrue();
            assertThat(TlsHandshake.with(clientUrl(c, 0), bob).accepted()).as("allowed host name").isTrue();
            assertThat(TlsHandshake.with(clientUrl(c, 0), carol).accepted()).as("neither").isFalse();
        }
    }

    @Test
    void aRevokedCertificateIsClosedAfterItsHandshakeOnBothPortsAndAResumedSessionIsCheckedToo() throws Exception {
        Path[] early = pki.leaf("early", "early");
        Path[] late = pki.leaf("late", "late");
        Path crl = pki.revoke(early[0]);
        try (EtcdCluster c = start(1, sec(member, true).withCrlFile(crl.toString()),
                sec(member, true).withCrlFile(crl.toString()))) {
            for (String url : List.of(clientUrl(c, 0), peerUrl(c, 0))) {
                // as etcd: the handshake completes, then the connection is closed unanswered
                assertThat(TlsHandshake.with(url, sec(early, false)).accepted()).as("handshake at " + url).isTrue();
                TlsHandshake.Exchange revoked = TlsHandshake.getVersion(TlsHandshake.context(sec(early, false)), url);
                assertThat(revoked.sessionId()).as("handshake completed at " + url).isNotNull();
                assertThat(revoked.answered()).as("revoked at " + url).isFalse();
                awaitRevocationLogged(early[0]);
            }
            SSLContext lateClient = TlsHandshake.context(sec(late, false));
            Map<String, TlsHandshake.Exchange> firstSessions = new HashMap<>();
            for (String url : List.of(clientUrl(c, 0), peerUrl(c, 0))) {
                TlsHandshake.Exchange first = TlsHandshake.getVersion(lateClient, url);
                TlsHandshake.Exchange again = TlsHandshake.getVersion(lateClient, url);
                assertThat(first.answered() && again.answered()).as("not revoked at " + url).isTrue();
                assertThat(again.resumed(first)).as("the second connection resumes the first's session at " + url)
                        .isTrue();
                firstSessions.put(url, first);
            }
            pki.revoke(late[0]);
            for (String url : List.of(clientUrl(c, 0), peerUrl(c, 0))) {
                TlsHandshake.Exchange resumed = TlsHandshake.getVersion(lateClient, url);
                assertThat(resumed.resumed(firstSessions.get(url))).as("resumed after the revocation at " + url).isTrue();
                assertThat(resumed.answered()).as("a resumed session of a certificate revoked later at " + url)
                        .isFalse();
                assertThat(TlsHandshake.getVersion(TlsHandshake.context(sec(late, false)), url).answered())
                        .as("a new session of a certificate revoked later at " + url).isFalse();
            }
            awaitRevocationLogged(late[0]);

            // as etcd: a revocation list that cannot be read refuses every certificate, and start-up is not its business
            Files.delete(crl);
            assertThat(TlsHandshake.getVersion(TlsHandshake.context(sec(member, false)), clientUrl(c, 0)).answered())
                    .as("no revocation list").isFalse();
            logs.await(WAIT, "the missing list logged", e -> e.getFormattedMessage().equals("rejected connection")
                    && ("open " + crl + ": no such file or directory").equals(CapturedLogs.fields(e).get("error")));
            pki.crl();
            assertThat(TlsHandshake.getVersion(TlsHandshake.context(sec(member, false)), clientUrl(c, 0)).answered())
                    .as("the list is back").isTrue();
        }
    }

    @Test
    void aTls13SessionResumedAfterItsCertificateWasRevokedIsClosedToo() throws Exception {
        // the JDK's client cannot tell a resumed TLS 1.3 session from a new one; openssl's says "Reused"
        Path[] client = pki.leaf("tls13", "tls13");
        Path crl = pki.crl();
        try (EtcdCluster c = start(1, sec(member, true).withCrlFile(crl.toString()), sec(member, true))) {
            String hostPort = clientUrl(c, 0).substring("https://".length());
            String request = "GET /version HTTP/1.0\r\n\r\n";
            List<String> asClient = List.of("-tls1_3", "-CAfile", pki.caCert.toString(), "-cert", client[0].toString(),
                    "-key", client[1].toString());
            Path session = root.resolve("tls13-session.pem");
            assertThat(sClient(hostPort, request, asClient, "-sess_out", session.toString()))
                    .contains("New, TLSv1.3").contains("\"etcdserver\"");
            assertThat(sClient(hostPort, request, asClient, "-sess_in", session.toString()))
                    .contains("Reused, TLSv1.3").contains("\"etcdserver\"");
            pki.revoke(client[0]);
            assertThat(sClient(hostPort, request, asClient, "-sess_in", session.toString()))
                    .as("as etcd: the resumed session completes its handshake, then is closed unanswered")
                    .contains("Reused, TLSv1.3").doesNotContain("\"etcdserver\"");
            awaitRevocationLogged(client[0]);
        }
    }

    private String sClient(String hostPort, String request, List<String> asClient, String... more) throws Exception {
        List<String> args = new ArrayList<>(asClient);
        args.addAll(List.of(more));
        return OpenSsl.sClient(root, hostPort, request, args.toArray(String[]::new));
    }

    /** etcd's warning for a revoked certificate: its serial as Go prints it, and the certificate's SAN names. */
    private void awaitRevocationLogged(Path cert) throws Exception {
        BigInteger serial = ((X509Certificate) CertificateFactory
                .getInstance("X.509").generateCertificate(Files.newInputStream(cert))).getSerialNumber();
        String hex = serial.toString(16);
        String error = "transport: certificate serial " + (hex.length() % 2 == 0 ? hex : "0" + hex) + " revoked";
        logs.await(WAIT, "a rejected connection with " + error, e -> {
            Map<String, Object> f = CapturedLogs.fields(e);
            return e.getFormattedMessage().equals("rejected connection") && error.equals(f.get("error"))
                    && String.valueOf(f.get("remote-addr")).startsWith("127.0.0.1:") && "".equals(f.get("server-name"))
                    && List.of("127.0.0.1", "127.0.0.2", "127.0.0.3").equals(f.get("ip-addresses"))
                    && List.of("localhost").equals(f.get("dns-names"));
        });
    }

    @Test
    void cipherSuitesAndVersionsLimitWhatAClientMayNegotiate() throws Exception {
        TlsPolicy tls12Aes128 = new TlsPolicy(List.of("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), "TLS1.2", "TLS1.2");
        TransportSecurity client = sec(member, false);
        try (EtcdCluster c = start(1, client.withPolicy(tls12Aes128), sec(member, false).withPolicy(tls12Aes128))) {
            for (String url : List.of(clientUrl(c, 0), peerUrl(c, 0))) {
                assertThat(TlsHandshake.with(url, client, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
                        .accepted()).as(url).isTrue();
                assertThat(TlsHandshake.with(url, client, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384")
                        .accepted()).as(url).isFalse();
                assertThat(TlsHandshake.with(url, client, "TLSv1.3").accepted()).as(url).isFalse();
            }
        }
        TlsPolicy tls13Only = new TlsPolicy(List.of(), "TLS1.3", "");
        Files.walk(root.resolve("cluster")).sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        try (EtcdCluster c = start(1, client.withPolicy(tls13Only), sec(member, false).withPolicy(tls13Only))) {
            for (String url : List.of(clientUrl(c, 0), peerUrl(c, 0))) {
                assertThat(TlsHandshake.with(url, client, "TLSv1.3").accepted()).as(url).isTrue();
                assertThat(TlsHandshake.with(url, client, "TLSv1.2").accepted()).as(url).isFalse();
            }
        }
    }

    @Test
    void aRotatedCertificateAndCaServeTheNextConnectionWithoutARestart() throws Exception {
        Path live = Files.createDirectories(root.resolve("live"));
        Path[] served = {live.resolve("server.pem"), live.resolve("server-key.pem")};
        Path liveCa = live.resolve("ca.pem");
        OpenSslPki.replace(member[0], served[0]);
        OpenSslPki.replace(member[1], served[1]);
        OpenSslPki.replace(pki.caCert, liveCa);
        UnaryOperator<TransportSecurity> liveCaFile = s -> new TransportSecurity(s.certFile(), s.keyFile(), "", "",
                liveCa.toString(), true, "", List.of(), List.of(), false, false);
        OpenSslPki newCa = new OpenSslPki(root.resolve("pki2"), "ca2");
        Path[] newCaClient = newCa.leaf("client2", "client2");
        TransportSecurity fromNewCa = sec(newCaClient, false); // trusts the first CA, which signed the server
        try (EtcdCluster c = start(1, liveCaFile.apply(sec(served, true)), liveCaFile.apply(sec(served, true)))) {
            for (String url : List.of(clientUrl(c, 0), peerUrl(c, 0))) {
                assertThat(CertificateNames.commonName(TlsHandshake.with(url, sec(member, false)).serverCertificate()))
                        .isEqualTo("etcd");
                assertThat(TlsHandshake.with(url, fromNewCa).accepted()).as("unknown CA at " + url).isFalse();
            }
            Path[] rotated = pki.leaf("rotated", "etcd-rotated");
            OpenSslPki.replace(rotated[1], served[1]);
            OpenSslPki.replace(rotated[0], served[0]);
            Files.writeString(live.resolve("bundle.pem"), Files.readString(pki.caCert) + Files.readString(newCa.caCert));
            OpenSslPki.replace(live.resolve("bundle.pem"), liveCa);
            for (String url : List.of(clientUrl(c, 0), peerUrl(c, 0))) {
                assertThat(CertificateNames.commonName(TlsHandshake.with(url, sec(member, false)).serverCertificate()))
                        .as("served at " + url).isEqualTo("etcd-rotated");
                assertThat(TlsHandshake.with(url, fromNewCa).accepted()).as("new CA at " + url).isTrue();
            }
        }
    }
}
