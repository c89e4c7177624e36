package io.etcdj.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --auto-tls: the pair a member generates must be one that it (and other TLS stacks) can load. */
class SelfSignedCertificateTest {
    @TempDir
    Path dir;

    @Test
    void theGeneratedKeyLoadsAndMatchesItsCertificate() throws Exception {
        Path[] pair = SelfSignedCertificate.ensure(dir, List.of("127.0.0.1", "localhost"));

        assertThat(Files.readString(pair[1])).startsWith("-----BEGIN PRIVATE KEY-----"); // PKCS#8
        X509Certificate cert = PemFiles.certificates(pair[0]).get(0);
        PrivateKey key = PemFiles.privateKey(pair[1]);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).as("the key belongs to the certificate").isTrue();
        assertThat(cert.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList())
                .contains("127.0.0.1", "localhost");
    }

    @Test
    void aSecondStartKeepsThePairItFound() throws Exception {
        Path[] first = SelfSignedCertificate.ensure(dir, List.of("127.0.0.1"));
        String cert = Files.readString(first[0]);
        Path[] again = SelfSignedCertificate.ensure(dir, List.of("127.0.0.1"));
        assertThat(Files.readString(again[0])).isEqualTo(cert);
    }
}
