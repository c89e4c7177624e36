package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.config.TlsPolicy;
import io.etcdj.server.config.TransportSecurity;
import io.etcdj.server.tls.CertificateNames;
import io.etcdj.server.tls.OpenSslPki;
import io.etcdj.server.tls.TlsHandshake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
    void aRevokedCertificateIsRefusedOnBothPortsAndARevocationAfterStartUpCounts() throws Exception {
        Path[] early = pki.leaf("early", "early");
        Path[] late = pki.leaf("late", "late");
        Path crl = pki.revoke(early[0]);
        try (EtcdCluster c = start(1, sec(member, true).withCrlFile(crl.toString()),
                sec(member, true).withCrlFile(crl.toString()))) {
            for (String url : List.of(clientUrl(c, 0), peerUrl(c, 0))) {
                assertThat(TlsHandshake.with(url, sec(early, false)).accepted()).as("revoked at " + url).isFalse();
                assertThat(TlsHandshake.with(url, sec(late, false)).accepted()).as("not revoked at " + url).isTrue();
            }
            pki.revoke(late[0]);
            for (String url : List.of(clientUrl(c, 0), peerUrl(c, 0))) {
                assertThat(TlsHandshake.with(url, sec(late, false)).accepted()).as("revoked later at " + url)
                        .isFalse();
            }
        }
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
        Files.walk(root.resolve("cluster")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
