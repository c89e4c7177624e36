package io.etcdj.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Go's refusals of a revocation list's outer ASN.1 header, each as etcd 3.4.23 logged it for a
 * --client-crl-file holding those bytes (measured by hand; UnparsableCrlDifferentialTest compares
 * the common cases with the reference itself).
 */
class GoCrlDecodingTest {
    private static String refusal(String hex) {
        return GoCrlDecoding.outerRefusal(HexFormat.of().parseHex(hex)).orElse("sound");
    }

    @Test
    void tagsAndLengthsAreReadAsEncodingAsn1ReadsThem() {
        assertThat(refusal("")).isEqualTo("asn1: syntax error: sequence truncated");
        assertThat(refusal("30")).isEqualTo("asn1: syntax error: truncated tag or length");
        assertThat(refusal("3080")).isEqualTo("asn1: syntax error: indefinite length found (not DER)");
        assertThat(refusal("308105")).isEqualTo("asn1: structure error: non-minimal length");
        assertThat(refusal("30820000")).isEqualTo("asn1: structure error: superfluous leading zeros in length");
        assertThat(refusal("300501")).isEqualTo("asn1: syntax error: data truncated");
        assertThat(refusal("308180")).isEqualTo("asn1: syntax error: data truncated");
        assertThat(refusal("1f")).isEqualTo("asn1: syntax error: truncated base 128 integer");
        assertThat(refusal("3f81")).isEqualTo("asn1: syntax error: truncated base 128 integer");
        assertThat(refusal("1f80")).isEqualTo("asn1: syntax error: integer is not minimally encoded");
        assertThat(refusal("1f1e")).isEqualTo("asn1: syntax error: non-minimal tag");
        assertThat(refusal("7f8101")).isEqualTo("asn1: syntax error: truncated tag or length");
        assertThat(refusal("3000")).isEqualTo("sound");
    }

    @Test
    void aWrongOuterTagIsDescribedWithGosFieldParameters() {
        assertThat(refusal("676172626167650a")).isEqualTo("asn1: structure error: tags don't match (16 vs {class:1 tag:7 "
                + "length:97 isCompound:true}) {optional:false explicit:false application:false private:false "
                + "defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} CertificateList @2");
    }

    @Test
    void onlyAnX509CrlPemBlockIsDecoded() {
        byte[] pem = "-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(GoCrlDecoding.der(pem)).containsExactly(0x30, 0x00);
        byte[] certificate = "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(GoCrlDecoding.der(certificate)).isSameAs(certificate);
        assertThat(GoCrlDecoding.trailingRefusal(new byte[] {0x30, 0x00, 0x00})).contains("x509: trailing data after CRL");
        assertThat(GoCrlDecoding.trailingRefusal(new byte[] {0x30, 0x00})).isEmpty();
    }
}
