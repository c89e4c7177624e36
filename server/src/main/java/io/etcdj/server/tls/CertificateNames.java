package io.etcdj.server.tls;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** The names a certificate carries: its subject's common name and its SAN host names and addresses. */
public final class CertificateNames {
    /**
     * The TLS session attribute holding the CN of the trusted CA that issued a verified client
     * chain: etcd's v2 API looks for a user in every certificate of the verified chain, the root
     * included, while a client sends its chain without the root.
     */
    public static final String TRUST_ANCHOR_CN = "io.etcdj.trust-anchor-cn";

    private CertificateNames() {}

    /** The subject CN ("" when it has none), as Go's {@code Subject.CommonName} (the first one). */
    public static String commonName(X509Certificate cert) {
        RDN[] cns = X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()).getRDNs(BCStyle.CN);
        return cns.length == 0 ? "" : IETFUtils.valueToString(cns[0].getFirst().getValue());
    }

    /** The CN of the verified certificate the other side of the session presented, or null without one. */
    public static String peerCommonName(SSLSession session) {
        if (session == null) {
            return null;
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x ? commonName(x) : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** The DNS names and IP addresses of the certificate's subjectAltName extension. */
    public static List<String> subjectAltNames(X509Certificate cert) {
        return subjectAltNames(cert, 2, 7); // dNSName, iPAddress
    }

    /** The SAN DNS names, as Go's {@code DNSNames}. */
    static List<String> dnsNames(X509Certificate cert) {
        return subjectAltNames(cert, 2);
    }

    /** The SAN IP addresses as Go prints them (IPv6 in its shortest form, "::1"). */
    static List<String> ipAddresses(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        for (String ip : subjectAltNames(cert, 7)) {
            try {
                out.add(goIpString(InetAddress.getByName(ip)));
            } catch (UnknownHostException e) {
                out.add(ip); // a literal: never looked up
            }
        }
        return out;
    }

    private static List<String> subjectAltNames(X509Certificate cert, int... types) {
        List<String> names = new ArrayList<>();
        try {
            if (cert.getSubjectAlternativeNames() != null) {
                for (List<?> san : cert.getSubjectAlternativeNames()) {
                    int type = (Integer) san.get(0);
                    for (int wanted : types) {
                        if (type == wanted) {
                            names.add(String.valueOf(san.get(1)));
                        }
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // an unreadable extension names nothing
        }
        return names;
    }

    /** Go's {@code net.IP.String}: dotted IPv4; IPv6 in hex groups with the longest run (2+) of zero groups as "::". */
    static String goIpString(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
