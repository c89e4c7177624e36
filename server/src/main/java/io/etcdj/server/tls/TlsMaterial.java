package io.etcdj.server.tls;

import io.etcdj.server.config.TransportSecurity;
import io.netty.channel.ChannelHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The keys and trust of one side of TLS (the client port, the peer port, or this member as a
 * client of another), built from etcd's flags:
 * <ul>
 *   <li>own certificate: --cert-file/--key-file (as a client: --client-cert-file/--client-key-file
 *       when given), or a self-signed one with --auto-tls; re-read from disk when the files
 *       change, so a rotated certificate serves the next connection ({@link ReloadingKeyManager});</li>
 *   <li>trust: --trusted-ca-file (re-read when it changes); with auto TLS and no CA, the other
 *       side is not verified (etcd skips verification between auto-TLS members too); without
 *       either, the JDK's roots;</li>
 *   <li>client certificates: required with --client-cert-auth or a --trusted-ca-file (as etcd);
 *       as a server, the allowed CNs/host names are checked in the handshake
 *       ({@link CertificateChecks}), the revocation list after it, on every connection
 *       ({@link #connectionCheck}, {@link RevocationList});</li>
 *   <li>--cipher-suites and --tls-min/max-version ({@link CipherSuites}).</li>
 * </ul>
 */
public final class TlsMaterial {
    /** Whether a server asks the connecting side for a certificate. */
    public enum ClientAuth { NONE, REQUIRE }

    /** Null: no own certificate (a client without one). */
    private final KeyManager keyManager;
    private final CertificateChecks trust;
    /** Null: no revocation list (always null for a client's material). */
    private final RevocationList revoked;
    private final ClientAuth clientAuth;
    private final String[] protocols;
    /** Null: the runtime's choice. */
    private final String[] cipherSuites;

    private TlsMaterial(KeyManager keyManager, CertificateChecks trust, RevocationList revoked, ClientAuth clientAuth,
                        TransportSecurity sec) {
        this.keyManager = keyManager;
        this.trust = trust;
        this.revoked = revoked;
        this.clientAuth = clientAuth;
        this.protocols = CipherSuites.protocols(sec.policy());
        this.cipherSuites = CipherSuites.jdkSuites(sec.policy());
    }

    /** A server's material; {@code autoTlsDir} and {@code hosts} are used only with auto TLS. */
    public static TlsMaterial server(TransportSecurity sec, Path autoTlsDir, List<String> hosts) throws IOException {
        Path[] pair = ownPair(sec.certFile(), sec.keyFile(), sec, autoTlsDir, hosts);
        // As etcd: a trusted CA file alone already makes clients present a certificate it signed.
        ClientAuth auth = sec.clientCertAuth() || !sec.trustedCaFile().isEmpty() ? ClientAuth.REQUIRE
                : ClientAuth.NONE;
        return new TlsMaterial(new ReloadingKeyManager(pair[0], pair[1]),
                trust(sec, sec.allowedCns(), sec.allowedHostnames()), RevocationList.of(sec.crlFile()), auth, sec);
    }

    /** This member as a TLS client of another member (peer links, forwarded client calls). */
    public static TlsMaterial client(TransportSecurity sec, Path autoTlsDir, List<String> hosts) throws IOException {
        String cert = sec.clientCertFile().isEmpty() ? sec.certFile() : sec.clientCertFile();
        String key = sec.clientKeyFile().isEmpty() ? sec.keyFile() : sec.clientKeyFile();
        Path[] pair = cert.isEmpty() && !sec.autoTls() ? null : ownPair(cert, key, sec, autoTlsDir, hosts);
        return new TlsMaterial(pair == null ? null : new ReloadingKeyManager(pair[0], pair[1]),
                trust(sec, List.of(), List.of()), null, ClientAuth.NONE, sec);
    }

    /** This side's own certificate and key (null: none), current as of each handshake. */
    public KeyManager keyManager() {
        return keyManager;
    }

    /** How the other side's certificate is verified. */
    public X509TrustManager trustManager() {
        return trust;
    }

    /** The revocation list a server checks after each handshake (null: none). */
    public RevocationList revocationList() {
        return revoked;
    }

    /**
     * A new handler for right after a server connection's SslHandler: logs a refused handshake
     * and closes a connection whose client certificate is revoked ({@link RejectedConnectionLog}).
     */
    public ChannelHandler connectionCheck() {
        return new RejectedConnectionLog(revoked);
    }

    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** The JDK names of the enabled TLS versions. */
    public List<String> protocols() {
        return List.of(protocols);
    }

    /** The JDK names of the enabled cipher suites, or null for the runtime's choice. */
    public List<String> cipherSuites() {
        return cipherSuites == null ? null : List.of(cipherSuites);
    }

    public SSLContext sslContext() throws IOException {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManager == null ? null : new KeyManager[] {keyManager}, new TrustManager[] {trust}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** A server-mode engine from {@code context} with this side's client-certificate rule, versions and suites. */
    public SSLEngine serverEngine(SSLContext context) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        engine.setNeedClientAuth(clientAuth == ClientAuth.REQUIRE);
        engine.setEnabledProtocols(protocols);
        if (cipherSuites != null) {
            engine.setEnabledCipherSuites(supported(engine, cipherSuites));
        }
        return engine;
    }

    /**
     * A client-mode engine from {@code context} for a connection to {@code host}:{@code port}, with
     * this side's versions and suites; the server's certificate must name {@code host}.
     */
    public SSLEngine clientEngine(SSLContext context, String host, int port) {
        SSLEngine engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(protocols);
        if (cipherSuites != null) {
            engine.setEnabledCipherSuites(supported(engine, cipherSuites));
        }
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(params);
        return engine;
    }

    /** The suites of {@code wanted} this JDK has (RC4 and 3DES may be gone); the list is kept in order. */
    private static String[] supported(SSLEngine engine, String[] wanted) {
        List<String> have = List.of(engine.getSupportedCipherSuites());
        return Arrays.stream(wanted).filter(have::contains).toArray(String[]::new);
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

    private static CertificateChecks trust(TransportSecurity sec, List<String> allowedCns,
                                           List<String> allowedHostnames) throws IOException {
        if (!sec.trustedCaFile().isEmpty()) {
            return CertificateChecks.ofCaFile(Path.of(sec.trustedCaFile()), allowedCns, allowedHostnames);
        }
        return CertificateChecks.of(sec.autoTls() ? new TrustEveryone() : null, allowedCns, allowedHostnames);
    }

    /** Auto TLS: the other side's self-signed certificate cannot be verified, so it is not. */
    private static final class TrustEveryone implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
