package io.etcdj.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * How etcd's "rejected connection" warning for a revoked certificate prints what it names: the
 * serial as Go's {@code %x} of its bytes (etcd 3.4.23 logged serial 4098 as "1002") and the
 * certificate's IP addresses as Go's {@code net.IP.String}.
 */
class GoCertificateTextsTest {
    @Test
    void serialsAreTwoHexDigitsPerByteOfTheirMagnitude() {
        assertThat(RevocationList.goHex(BigInteger.valueOf(4098))).isEqualTo("1002");
        assertThat(RevocationList.goHex(BigInteger.valueOf(5))).isEqualTo("05");
        assertThat(RevocationList.goHex(BigInteger.valueOf(0x80))).isEqualTo("80"); // no sign byte
        assertThat(RevocationList.goHex(BigInteger.valueOf(0xff00))).isEqualTo("ff00");
        assertThat(RevocationList.goHex(BigInteger.valueOf(-0x1002))).isEqualTo("1002");
        assertThat(RevocationList.goHex(BigInteger.ZERO)).isEmpty();
    }

    @Test
    void ipAddressesAreDottedOrShortestHex() throws Exception {
        assertThat(CertificateNames.goIpString(InetAddress.getByName("127.0.0.1"))).isEqualTo("127.0.0.1");
        assertThat(CertificateNames.goIpString(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(CertificateNames.goIpString(InetAddress.getByName("::"))).isEqualTo("::");
        assertThat(CertificateNames.goIpString(InetAddress.getByName("2001:db8:0:0:1:0:0:1")))
                .isEqualTo("2001:db8::1:0:0:1"); // the first of two equal runs
        assertThat(CertificateNames.goIpString(InetAddress.getByName("1:0:0:1:0:0:0:1"))).isEqualTo("1:0:0:1::1");
        assertThat(CertificateNames.goIpString(InetAddress.getByName("1:2:3:4:5:6:0:8"))).isEqualTo("1:2:3:4:5:6:0:8");
        assertThat(CertificateNames.goIpString(InetAddress.getByName("fe80::ab:0"))).isEqualTo("fe80::ab:0");
    }
}
