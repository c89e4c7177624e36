package io.etcdj.server.tls;

import io.etcdj.server.config.TransportSecurity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
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
        } catch (IOException e) {
            return new Outcome(null, e);
        }
    }

    public static Outcome with(String url, TransportSecurity client) throws Exception {
        return with(url, client, "TLSv1.2");
    }

    /**
     * What one request over TLS came to: the session the handshake ended in (a resumed one keeps
     * its ID and creation time), and the first line the server answered ("" when it closed the
     * connection without a word), or why the handshake or the request failed.
     */
    public record Exchange(byte[] sessionId, long sessionCreated, String statusLine, Exception failure) {
        public boolean answered() {
            return statusLine != null && statusLine.startsWith("HTTP/1.1 200");
        }

        /** True when this connection resumed {@code earlier}'s session instead of making a new one. */
        public boolean resumed(Exchange earlier) {
            return sessionId != null && sessionId.length > 0 && Arrays.equals(sessionId, earlier.sessionId)
                    && sessionCreated == earlier.sessionCreated;
        }
    }

    /**
     * A client context for {@code client}'s certificate that caches its sessions, so later
     * connections resume them. It offers no session tickets: the JDK's server (our client port)
     * resumes a client-authenticated TLS 1.2 session only from its session-ID cache.
     */
    public static synchronized SSLContext context(TransportSecurity client) throws Exception {
        String tickets = "jdk.tls.client.enableSessionTicketExtension"; // read as the context is made
        String before = System.getProperty(tickets);
        System.setProperty(tickets, "false");
        try {
            return TlsMaterial.client(client, Path.of("unused"), List.of()).sslContext();
        } finally {
            if (before == null) {
                System.clearProperty(tickets);
            } else {
                System.setProperty(tickets, before);
            }
        }
    }

    /** A TLS 1.2 handshake with {@code ctx} (resuming a session it cached, if the server agrees), then GET /version. */
    public static Exchange getVersion(SSLContext ctx, String url) throws Exception {
        URI u = URI.create(url);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(u.getHost(), u.getPort())) {
            s.setSoTimeout(10_000);
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.startHandshake();
            SSLSession session = s.getSession();
            try {
                s.getOutputStream().write(("GET /version HTTP/1.1\r\nHost: " + u.getHost() + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                StringBuilder line = new StringBuilder();
                for (int c = s.getInputStream().read(); c >= 0 && c != '\r'; c = s.getInputStream().read()) {
                    line.append((char) c);
                }
                return new Exchange(session.getId(), session.getCreationTime(), line.toString(), null);
            } catch (IOException closed) {
                return new Exchange(session.getId(), session.getCreationTime(), null, closed);
            }
        } catch (IOException e) {
            return new Exchange(null, 0, null, e);
        }
    }
}
