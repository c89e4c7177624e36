package io.etcdj.server.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What etcd's TLS listener does with each accepted connection, and its "rejected connection"
 * warning when it refuses one:
 * <ul>
 *   <li>a refused handshake (plaintext to an https port, a missing or untrusted client
 *       certificate, an unsupported TLS version) is logged with the remote address, the requested
 *       server name and the reason in Go's words;</li>
 *   <li>a completed handshake, full or resumed, is then checked against the revocation list
 *       ({@link RevocationList}); a revoked certificate is logged (with the certificate's SAN IP
 *       addresses and DNS names, as etcd) and the connection closed before any of its bytes pass
 *       on.</li>
 * </ul>
 * One instance per connection, right after its SslHandler; it leaves the pipeline once the
 * connection is settled. Invariant: nothing read from the connection is passed on before the
 * check has accepted it.
 */
public final class RejectedConnectionLog extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RejectedConnectionLog.class);

    private final AfterHandshakeCheck check;

    RejectedConnectionLog(RevocationList revoked) {
        this.check = new AfterHandshakeCheck(revoked);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                warn(ctx.channel().remoteAddress(), engine(ctx), done.cause());
            } else if (!check.admits(ctx.channel().remoteAddress(), engine(ctx), ctx::close)) {
                return;
            }
            ctx.pipeline().remove(this); // one handshake per connection: nothing more to watch
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        // decrypted bytes before the completion event (the handshake is over by then): check now
        if (!check.admits(ctx.channel().remoteAddress(), engine(ctx), ctx::close)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.pipeline().remove(this);
        super.channelRead(ctx, msg);
    }

    private static SSLEngine engine(ChannelHandlerContext ctx) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        return ssl == null ? null : ssl.engine();
    }

    /** The warning for a refused handshake, for any Netty (the peer port runs on gRPC's shaded copy). */
    static void warn(SocketAddress remote, SSLEngine engine, Throwable cause) {
        warn(remote, engine == null ? null : engine.getHandshakeSession(), List.of(),
                GoTlsErrors.describe(cause, Instant.now()));
    }

    /**
     * etcd's check of a completed handshake (any Netty): true, after logging the warning, when
     * the client's certificates are revoked (or the revocation list cannot be read) and the
     * connection must be closed.
     */
    static boolean refusedAfterHandshake(SocketAddress remote, SSLEngine engine, RevocationList revoked) {
        if (revoked == null || engine == null) {
            return false;
        }
        SSLSession session = engine.getSession();
        List<X509Certificate> chain = peerCertificates(session);
        String refusal = revoked.refusal(chain);
        if (refusal == null) {
            return false;
        }
        warn(remote, session, chain, refusal);
        return true;
    }

    private static void warn(SocketAddress remote, SSLSession session, List<X509Certificate> chain, String error) {
        var line = log.atWarn().setMessage("rejected connection")
                .addKeyValue("remote-addr", address(remote))
                .addKeyValue("server-name", serverName(session));
        if (!chain.isEmpty()) {
            line = line.addKeyValue("ip-addresses", CertificateNames.ipAddresses(chain.get(0)))
                    .addKeyValue("dns-names", CertificateNames.dnsNames(chain.get(0)));
        }
        line.addKeyValue("error", error).log();
    }

    /** The certificates the client sent, its own first (none: empty). */
    private static List<X509Certificate> peerCertificates(SSLSession session) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
        } catch (SSLPeerUnverifiedException noCertificate) {
            // nothing to check
        }
        return out;
    }

    private static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress a) {
            return a.getAddress().getHostAddress() + ":" + a.getPort();
        }
        return String.valueOf(remote);
    }

    /** The SNI name the client asked for, when the handshake got far enough to read it. */
    private static String serverName(SSLSession session) {
        if (session instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    return host.getAsciiName();
                }
            }
        }
        return "";
    }
}
