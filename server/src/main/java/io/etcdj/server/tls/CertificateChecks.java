package io.etcdj.server.tls;

import io.etcdj.server.config.IpLiteral;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How one side verifies the other's certificate: the CA bundle (--trusted-ca-file, re-read when
 * it changes, so a rotated CA applies to the next connection), or no verification between
 * auto-TLS members, or the JDK's roots; then, for a certificate a client presents to this
 * member's server side, etcd's extra rules:
 * <ul>
 *   <li>allowed CNs / host names (--peer-cert-allowed-cn, --peer-cert-allowed-hostname,
 *       --client-cert-allowed-hostname, the config file's client allowed-cn): the certificate
 *       passes when its CN is one of the CNs or it is valid for one of the host names (its SAN
 *       DNS names, wildcards included, or IP addresses); otherwise the handshake fails with
 *       etcd's "client certificate authentication failed".</li>
 * </ul>
 * The revocation list is not checked here: etcd checks it after the handshake, on every
 * connection, resumed sessions included ({@link RevocationList}).
 */
final class CertificateChecks extends X509ExtendedTrustManager {
    static final String NOT_ALLOWED = "client certificate authentication failed";

    /** Null: the JDK's default trust. */
    private final ReloadingFiles<X509TrustManager> caTrust;
    private final X509TrustManager fixedTrust;
    private final List<String> allowedCns;
    private final List<String> allowedHostnames;

    private CertificateChecks(ReloadingFiles<X509TrustManager> caTrust, X509TrustManager fixedTrust,
                              List<String> allowedCns, List<String> allowedHostnames) {
        this.caTrust = caTrust;
        this.fixedTrust = fixedTrust;
        this.allowedCns = List.copyOf(allowedCns);
        this.allowedHostnames = List.copyOf(allowedHostnames);
    }

    /** Trust in the CAs of {@code caFile}, re-read when it changes. */
    static CertificateChecks ofCaFile(Path caFile, List<String> allowedCns, List<String> allowedHostnames)
            throws IOException {
        return new CertificateChecks(new ReloadingFiles<>(List.of(caFile), () -> caTrust(caFile)), null,
                allowedCns, allowedHostnames);
    }

    /** Trust decided by {@code trust} (auto TLS: anyone; null: the JDK's roots). */
    static CertificateChecks of(X509TrustManager trust, List<String> allowedCns, List<String> allowedHostnames)
            throws IOException {
        return new CertificateChecks(null, trust == null ? jdkDefault() : trust, allowedCns, allowedHostnames);
    }

    private X509TrustManager trust() {
        return caTrust != null ? caTrust.get() : fixedTrust;
    }

    private static X509TrustManager caTrust(Path caFile) throws IOException {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (X509Certificate ca : PemFiles.certificates(caFile)) {
                ks.setCertificateEntry("ca-" + i++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            return x509(tmf.getTrustManagers());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the CA file " + caFile + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager jdkDefault() throws IOException {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            return x509(tmf.getTrustManagers());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the JDK's trusted roots: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager x509(TrustManager[] managers) throws IOException {
        for (TrustManager m : managers) {
            if (m instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new IOException("no X.509 trust manager");
    }

    // ----------------------------------------------------------------- the other side is a client

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust().checkClientTrusted(chain, authType);
        checkPresented(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        if (trust() instanceof X509ExtendedTrustManager x) {
            x.checkClientTrusted(chain, authType, socket);
        } else {
            trust().checkClientTrusted(chain, authType);
        }
        checkPresented(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        if (trust() instanceof X509ExtendedTrustManager x) {
            x.checkClientTrusted(chain, authType, engine);
        } else {
            trust().checkClientTrusted(chain, authType);
        }
        checkPresented(chain);
        recordTrustAnchor(chain, engine);
    }

    /** Notes the CN of the trusted CA that issued a verified chain ({@link CertificateNames#TRUST_ANCHOR_CN}). */
    private void recordTrustAnchor(X509Certificate[] chain, SSLEngine engine) {
        SSLSession session = engine == null ? null : engine.getHandshakeSession();
        if (session == null || chain.length == 0) {
            return;
        }
        X509Certificate top = chain[chain.length - 1];
        for (X509Certificate ca : trust().getAcceptedIssuers()) {
            if (ca.getSubjectX500Principal().equals(top.getIssuerX500Principal()) && !ca.equals(top)) {
                session.putValue(CertificateNames.TRUST_ANCHOR_CN, CertificateNames.commonName(ca));
                return;
            }
        }
    }

    /** etcd's rule for a verified client certificate: an allowed CN or host name. */
    private void checkPresented(X509Certificate[] chain) throws CertificateException {
        if (allowedCns.isEmpty() && allowedHostnames.isEmpty()) {
            return;
        }
        X509Certificate leaf = chain[0];
        if (allowedCns.contains(CertificateNames.commonName(leaf))) {
            return;
        }
        for (String host : allowedHostnames) {
            if (validFor(leaf, host)) {
                return;
            }
        }
        throw new CertificateException(NOT_ALLOWED);
    }

    /** Go's VerifyHostname: an IP against the SAN addresses, a name against the SAN DNS names (no CN). */
    static boolean validFor(X509Certificate cert, String host) {
        List<String> sans = CertificateNames.subjectAltNames(cert);
        if (IpLiteral.isIp(host)) {
            try {
                InetAddress want = InetAddress.getByName(host);
                for (String san : sans) {
                    if (IpLiteral.isIp(san) && InetAddress.getByName(san).equals(want)) {
                        return true;
                    }
                }
            } catch (UnknownHostException e) {
                return false;
            }
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        for (String san : sans) {
            String pattern = san.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
            if (pattern.equals(name)) {
                return true;
            }
            if (pattern.startsWith("*.") && name.indexOf('.') > 0
                    && name.substring(name.indexOf('.')).equals(pattern.substring(1))) {
                return true;
            }
        }
        return false;
    }

    // ----------------------------------------------------------------- the other side is a server

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust().checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        if (trust() instanceof X509ExtendedTrustManager x) {
            x.checkServerTrusted(chain, authType, socket);
        } else {
            trust().checkServerTrusted(chain, authType);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        if (trust() instanceof X509ExtendedTrustManager x) {
            x.checkServerTrusted(chain, authType, engine);
        } else {
            trust().checkServerTrusted(chain, authType);
        }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trust().getAcceptedIssuers();
    }
}
