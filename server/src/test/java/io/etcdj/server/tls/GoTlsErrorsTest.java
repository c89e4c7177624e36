package io.etcdj.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.NotSslRecordException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.time.Instant;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The JDK's handshake failures as Go's crypto/tls words them (texts taken from etcd 3.4.23's log). */
class GoTlsErrorsTest {
    private static final Instant NOW = Instant.parse("2026-12-07T03:04:27.844Z");

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    @Test
    void plaintextAndAMissingCertificate() {
        assertThat(GoTlsErrors.describe(new NotSslRecordException("not an SSL/TLS record: 474554"), NOW))
                .isEqualTo("tls: first record does not look like a TLS handshake");
        assertThat(GoTlsErrors.describe(new SSLHandshakeException("Empty client certificate chain"), NOW))
                .isEqualTo("tls: client didn't provide a certificate");
        // the peer port's OpenSSL engine (gRPC's shaded Netty) words it so
        assertThat(GoTlsErrors.describe(new SSLHandshakeException(
                "error:100000c0:SSL routines:OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE"), NOW))
                .isEqualTo("tls: client didn't provide a certificate");
        assertThat(GoTlsErrors.describe(
                new NotSslRecordException("not an SSL/TLS record"), NOW))
                .isEqualTo("tls: first record does not look like a TLS handshake");
    }

    @Test
    void anUntrustedAndAnExpiredCertificate() {
        CertificateException untrusted = new CertificateException("PKIX path building failed",
                new CertPathValidatorException("Path does not chain with any of the trust anchors"));
        assertThat(GoTlsErrors.describe(handshake("PKIX path building failed", untrusted), NOW))
                .isEqualTo("tls: failed to verify client certificate: x509: certificate signed by unknown authority");

        CertPathValidatorException validity = new CertPathValidatorException("validity check failed",
                new CertificateExpiredException("NotAfter: Sun Dec 06 03:04:25 UTC 2026"));
        assertThat(GoTlsErrors.describe(handshake("validity check failed", new CertificateException(validity)), NOW))
                .isEqualTo("tls: failed to verify client certificate: x509: certificate has expired or is not yet"
                        + " valid: current time 2026-12-07T03:04:27Z is after 2026-12-06T03:04:25Z");
    }

    @Test
    void unsupportedVersionsAndAlerts() {
        assertThat(GoTlsErrors.describe(new SSLHandshakeException(
                "Client requested protocol TLSv1 is not enabled or supported in server context"), NOW))
                .isEqualTo("tls: client offered only unsupported versions: [301]");
        assertThat(GoTlsErrors.describe(new SSLHandshakeException(
                "The client supported protocol versions [TLSv1, TLSv1.1] are not accepted by server preferences"), NOW))
                .isEqualTo("tls: client offered only unsupported versions: [301 302]");
        assertThat(GoTlsErrors.describe(new SSLHandshakeException("Received fatal alert: bad_certificate"), NOW))
                .isEqualTo("remote error: tls: bad certificate");
        assertThat(GoTlsErrors.describe(new SSLHandshakeException("something new"), NOW)).isEqualTo("something new");
    }
}
