package io.etcdj.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Tells from the first bytes of a peer-port connection (after TLS) which protocol it speaks: the
 * HTTP/2 client preface continues into gRPC, anything else is HTTP/1.1 and gets the handlers
 * {@code http1} makes, placed right after this one.
 *
 * <p>Invariant: until it decides, the sniffer holds back every user event (but a failed TLS
 * handshake) — gRPC installs its HTTP/2 handler, which writes its SETTINGS frame at once, only
 * on those events (the protocol-negotiation event in plaintext, the handshake completion with
 * TLS). For gRPC they are passed on in their order before the bytes; for HTTP/1.1 they are
 * dropped and gRPC's handlers behind never see a byte (gRPC's handshake timeout later closes
 * such a connection, by default 120 s after it was accepted).
 */
public final class PeerProtocolSniffer extends ChannelInboundHandlerAdapter {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Supplier<ChannelHandler[]> http1;
    private final List<Object> heldEvents = new ArrayList<>();
    private ByteBuf received;

    public PeerProtocolSniffer(Supplier<ChannelHandler[]> http1) {
        this.http1 = http1;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            super.userEventTriggered(ctx, evt);
        } else {
            heldEvents.add(evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (received == null) {
            received = bytes;
        } else {
            ByteBuf merged = ctx.alloc().buffer(received.readableBytes() + bytes.readableBytes())
                    .writeBytes(received).writeBytes(bytes);
            received.release();
            bytes.release();
            received = merged;
        }
        Boolean grpc = isPreface(received);
        if (grpc == null) {
            return; // a prefix of the preface so far: wait for more
        }
        ByteBuf first = received;
        received = null;
        if (grpc) {
            for (Object evt : heldEvents) {
                ctx.fireUserEventTriggered(evt);
            }
        } else {
            String after = ctx.name();
            for (ChannelHandler h : http1.get()) {
                ctx.pipeline().addAfter(after, null, h);
                after = ctx.pipeline().context(h).name();
            }
        }
        heldEvents.clear();
        ctx.fireChannelRead(first);
        ctx.pipeline().remove(this);
    }

    /** true: the preface; false: something else; null: too few bytes to tell yet. */
    static Boolean isPreface(ByteBuf b) {
        int n = Math.min(b.readableBytes(), PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (b.getByte(b.readerIndex() + i) != PREFACE[i]) {
                return false;
            }
        }
        return n == PREFACE.length ? Boolean.TRUE : null;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (received != null) {
            received.release();
            received = null;
        }
    }
}
