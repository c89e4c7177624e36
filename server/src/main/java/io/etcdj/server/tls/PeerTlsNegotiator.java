package io.etcdj.server.tls;

import io.grpc.ServerCredentials;
import io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.InternalProtocolNegotiators;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;

/**
 * gRPC's own server TLS for the peer port, with etcd's "rejected connection" warning for a
 * handshake it refuses: a handler placed right after the SslHandler that gRPC's TLS handler
 * installs sees the failed handshake before gRPC closes the connection. Plaintext sent to the
 * port is a refused handshake too. The same handler checks each completed handshake (resumed or
 * not) against --peer-crl-file and closes the connection of a revoked certificate, as
 * {@link RejectedConnectionLog} does on the client port. After the watcher comes the handler {@code afterTls} makes (the
 * peer port's protocol sniffer), so that it sees the decrypted bytes and the handshake's outcome
 * before gRPC does.
 */
public final class PeerTlsNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
    private final InternalProtocolNegotiator.ProtocolNegotiator tls;
    private final Supplier<ChannelHandler> afterTls;
    /** Null: no revocation list. */
    private final RevocationList revoked;

    private PeerTlsNegotiator(SslContext context, RevocationList revoked, Supplier<ChannelHandler> afterTls) {
        this.tls = InternalProtocolNegotiators.serverTls(context);
        this.afterTls = afterTls;
        this.revoked = revoked;
    }

    /**
     * Server credentials for {@code NettyServerBuilder.forAddress(address, credentials)}.
     *
     * @param revoked the revocation list checked after each handshake (null: none)
     * @param afterTls makes, per connection, the handler placed right after TLS and its watcher
     */
    public static ServerCredentials credentials(SslContext context, RevocationList revoked,
                                                Supplier<ChannelHandler> afterTls) {
        return InternalNettyServerCredentials.create(new PeerTlsNegotiator(context, revoked, afterTls));
    }

    @Override
    public AsciiString scheme() {
        return tls.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        ChannelHandler grpcTls = tls.newHandler(grpcHandler);
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                // gRPC installs its SslHandler once the connection is active; by the first bytes
                // read it is there, and the watcher goes right after it
                ctx.pipeline().addFirst(new WatcherInstaller(afterTls.get(), revoked));
                ctx.pipeline().replace(this, null, grpcTls);
            }
        };
    }

    /**
     * On the connection's first read, puts a {@link RefusalWatcher} and then the {@code afterTls}
     * handler after the SslHandler.
     */
    private static final class WatcherInstaller extends ChannelInboundHandlerAdapter {
        private final ChannelHandler afterTls;
        private final RevocationList revoked;

        WatcherInstaller(ChannelHandler afterTls, RevocationList revoked) {
            this.afterTls = afterTls;
            this.revoked = revoked;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            ChannelHandlerContext ssl = ctx.pipeline().context(SslHandler.class);
            if (ssl != null) {
                RefusalWatcher watcher = new RefusalWatcher(revoked);
                ctx.pipeline().addAfter(ssl.name(), null, watcher);
                ctx.pipeline().addAfter(ctx.pipeline().context(watcher).name(), null, afterTls);
            }
            ctx.pipeline().remove(this);
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void close() {
        tls.close();
    }

    /** {@link RejectedConnectionLog} for gRPC's shaded Netty; the same invariant. */
    private static final class RefusalWatcher extends ChannelInboundHandlerAdapter {
        private final AfterHandshakeCheck check;

        RefusalWatcher(RevocationList revoked) {
            this.check = new AfterHandshakeCheck(revoked);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent done) {
                if (!done.isSuccess()) {
                    RejectedConnectionLog.warn(ctx.channel().remoteAddress(), engine(ctx), done.cause());
                } else if (!check.admits(ctx.channel().remoteAddress(), engine(ctx), ctx::close)) {
                    return;
                }
                ctx.pipeline().remove(this); // one handshake per connection: nothing more to watch
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
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
    }
}
