package io.etcdj.server.tls;

import io.etcdj.server.config.TransportSecurity;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One TLS handshake with a member's port, as a client with the given certificate: what the
 * server presented, or why the handshake failed. A fresh context per attempt, so nothing is
 * resumed from an earlier session. TLS 1.2 by default: a refused client certificate then fails
 * the handshake itself (under TLS 1.3 the refusal only arrives after it).
 */
public final class TlsHandshake {
    private TlsHandshake() {}

    /** The outcome: the server's certificate, or the failure. */
    public record Outcome(X509Certificate serverCertificate, Exception failure) {
        public boolean accepted() {
            return failure == null;
        }
    }

    public static Outcome with(String url, TransportSecurity client, String protocol, String... cipherSuites)
            throws Exception {
        SSLContext ctx = TlsMaterial.client(client, Path.of("unused"), List.of()).sslContext();
        URI u = URI.create(url);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 10_000);
            s.setSoTimeout(10_000);
            s.setEnabledProtocols(new String[] {protocol});
            if (cipherSuites.length > 0) {
                s.setEnabledCipherSuites(cipherSuites);
            }
            s.startHandshake();
            return new Outcome((X509Certificate) s.getSession().getPeerCertificates()[0], null);
        } catch (java.io.IOException e) {
            return new Outcome(null, e);
        }
    }

    public static Outcome with(String url, TransportSecurity client) throws Exception {
        return with(url, client, "TLSv1.2");
    }
}
