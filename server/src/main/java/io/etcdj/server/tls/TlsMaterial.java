package io.etcdj.server.tls;

import io.etcdj.server.config.TransportSecurity;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The keys and trust of one side of TLS (the client port, the peer port, or this member as a
 * client of another), built from etcd's flags:
 * <ul>
 *   <li>own certificate: --cert-file/--key-file (as a client: --client-cert-file/--client-key-file
 *       when given), or a self-signed one with --auto-tls;</li>
 *   <li>trust: --trusted-ca-file; with auto TLS and no CA, the other side is not verified (etcd
 *       skips verification between auto-TLS members too); without either, the JDK's roots;</li>
 *   <li>client certificates: required with --client-cert-auth, requested when a CA is given.</li>
 * </ul>
 */
public final class TlsMaterial {
    /** Whether a server asks the connecting side for a certificate. */
    public enum ClientAuth { NONE, OPTIONAL, REQUIRE }

    private final KeyManagerFactory keyManagers;
    private final TrustManager[] trustManagers;
    private final ClientAuth clientAuth;

    private TlsMaterial(KeyManagerFactory keyManagers, TrustManager[] trustManagers, ClientAuth clientAuth) {
        this.keyManagers = keyManagers;
        this.trustManagers = trustManagers;
        this.clientAuth = clientAuth;
    }

    /** A server's material; {@code autoTlsDir} and {@code hosts} are used only with auto TLS. */
    public static TlsMaterial server(TransportSecurity sec, Path autoTlsDir, List<String> hosts) throws IOException {
        Path[] pair = ownPair(sec.certFile(), sec.keyFile(), sec, autoTlsDir, hosts);
        ClientAuth auth = sec.clientCertAuth() ? ClientAuth.REQUIRE
                : !sec.trustedCaFile().isEmpty() ? ClientAuth.OPTIONAL : ClientAuth.NONE;
        return new TlsMaterial(keyManagers(pair), trust(sec), auth);
    }

    /** This member as a TLS client of another member (peer links, forwarded client calls). */
    public static TlsMaterial client(TransportSecurity sec, Path autoTlsDir, List<String> hosts) throws IOException {
        String cert = sec.clientCertFile().isEmpty() ? sec.certFile() : sec.clientCertFile();
        String key = sec.clientKeyFile().isEmpty() ? sec.keyFile() : sec.clientKeyFile();
        Path[] pair = cert.isEmpty() && !sec.autoTls() ? null : ownPair(cert, key, sec, autoTlsDir, hosts);
        return new TlsMaterial(pair == null ? null : keyManagers(pair), trust(sec), ClientAuth.NONE);
    }

    public KeyManagerFactory keyManagers() {
        return keyManagers;
    }

    /** Null: the JDK's default trust. */
    public TrustManager[] trustManagers() {
        return trustManagers;
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    public SSLContext sslContext() throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers == null ? null : keyManagers.getKeyManagers(), trustManagers, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static Path[] ownPair(String cert, String key, TransportSecurity sec, Path autoTlsDir, List<String> hosts)
            throws IOException {
        if (!cert.isEmpty()) {
            return new Path[] {Path.of(cert), Path.of(key)};
        }
        if (sec.autoTls()) {
            return SelfSignedCertificate.ensure(autoTlsDir, hosts);
        }
        throw new IOException("TLS needs --cert-file and --key-file (or --auto-tls)");
    }

    private static KeyManagerFactory keyManagers(Path[] pair) throws IOException {
        List<X509Certificate> chain = PemFiles.certificates(pair[0]);
        PrivateKey key = PemFiles.privateKey(pair[1]);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("member", key, new char[0], chain.toArray(X509Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            return kmf;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key pair " + pair[0] + ", " + pair[1] + ": " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trust(TransportSecurity sec) throws IOException {
        if (!sec.trustedCaFile().isEmpty()) {
            try {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                int i = 0;
                for (X509Certificate ca : PemFiles.certificates(Path.of(sec.trustedCaFile()))) {
                    ks.setCertificateEntry("ca-" + i++, ca);
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                return tmf.getTrustManagers();
            } catch (GeneralSecurityException e) {
                throw new IOException("cannot use the CA file " + sec.trustedCaFile() + ": " + e.getMessage(), e);
            }
        }
        if (sec.autoTls()) {
            return new TrustManager[] {new TrustEveryone()};
        }
        return null;
    }

    /** Auto TLS: the other side's self-signed certificate cannot be verified, so it is not. */
    private static final class TrustEveryone implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
