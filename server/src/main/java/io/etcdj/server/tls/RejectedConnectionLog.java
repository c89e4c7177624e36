package io.etcdj.server.tls;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * etcd's "rejected connection" warning for a TLS handshake a listener refused (plaintext to an
 * https port, a missing or untrusted client certificate, an unsupported TLS version), with the
 * remote address, the requested server name and the reason in Go's words. Sits right after the
 * SslHandler until the handshake ends; passes every event on, so a failure still closes the
 * connection.
 */
@ChannelHandler.Sharable
public final class RejectedConnectionLog extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RejectedConnectionLog.class);
    public static final RejectedConnectionLog INSTANCE = new RejectedConnectionLog();

    private RejectedConnectionLog() {}

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                io.netty.handler.ssl.SslHandler ssl = ctx.pipeline().get(io.netty.handler.ssl.SslHandler.class);
                warn(ctx.channel().remoteAddress(), ssl == null ? null : ssl.engine(), done.cause());
            }
            ctx.pipeline().remove(this); // one handshake per connection: nothing more to watch
        }
        super.userEventTriggered(ctx, evt);
    }

    /** The warning itself, for any Netty (the peer port runs on gRPC's shaded copy). */
    static void warn(SocketAddress remote, SSLEngine engine, Throwable cause) {
        log.atWarn().setMessage("rejected connection")
                .addKeyValue("remote-addr", address(remote))
                .addKeyValue("server-name", serverName(engine))
                .addKeyValue("error", GoTlsErrors.describe(cause, Instant.now()))
                .log();
    }

    private static String address(SocketAddress remote) {
        if (remote instanceof InetSocketAddress a) {
            return a.getAddress().getHostAddress() + ":" + a.getPort();
        }
        return String.valueOf(remote);
    }

    /** The SNI name the client asked for, when the handshake got far enough to read it. */
    private static String serverName(SSLEngine engine) {
        SSLSession session = engine == null ? null : engine.getHandshakeSession();
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
