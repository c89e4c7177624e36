package io.etcdj.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Tells from the first bytes of a peer-port connection (after TLS) which protocol it speaks: the
 * HTTP/2 client preface continues into gRPC, {@link RaftStreamWire#PREFACE} is a raft stream and
 * gets the handlers {@code raftStream} makes (the preface consumed), anything else is HTTP/1.1
 * and gets the handlers {@code http1} makes; either kind is placed right after this one.
 *
 * <p>Invariant: until it decides, the sniffer holds back every user event (but a failed TLS
 * handshake) — gRPC installs its HTTP/2 handler, which writes its SETTINGS frame at once, only
 * on those events (the protocol-negotiation event in plaintext, the handshake completion with
 * TLS). For gRPC they are passed on in their order before the bytes; for HTTP/1.1 they are
 * dropped and gRPC's handlers behind never see a byte (gRPC's handshake timeout later closes
 * such a connection; the peer server turns that timeout off, as a raft stream lives long, so
 * this sniffer closes a connection still undecided {@link #DECIDE_WITHIN_SECONDS} after it began).
 */
public final class PeerProtocolSniffer extends ChannelInboundHandlerAdapter {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** gRPC's own handshake timeout, which this one replaces. */
    static final long DECIDE_WITHIN_SECONDS = 120;

    /** What a connection's first bytes say it speaks. */
    enum Protocol { GRPC, RAFT_STREAM, HTTP1 }

    private final Supplier<ChannelHandler[]> http1;
    private final Supplier<ChannelHandler[]> raftStream;
    private final List<Object> heldEvents = new ArrayList<>();
    private ByteBuf received;
    private ScheduledFuture<?> undecided;

    public PeerProtocolSniffer(Supplier<ChannelHandler[]> http1, Supplier<ChannelHandler[]> raftStream) {
        this.http1 = http1;
        this.raftStream = raftStream;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        undecided = ctx.executor().schedule(() -> {
            ctx.close();
        }, DECIDE_WITHIN_SECONDS, TimeUnit.SECONDS);
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
        Protocol protocol = protocolOf(received);
        if (protocol == null) {
            return; // a prefix of a preface so far: wait for more
        }
        ByteBuf first = received;
        received = null;
        switch (protocol) {
            case GRPC -> heldEvents.forEach(ctx::fireUserEventTriggered);
            case RAFT_STREAM -> {
                first.skipBytes(RaftStreamWire.PREFACE.length);
                addAfter(ctx, raftStream.get());
            }
            case HTTP1 -> addAfter(ctx, http1.get());
        }
        heldEvents.clear();
        ctx.fireChannelRead(first);
        ctx.pipeline().remove(this);
    }

    private static void addAfter(ChannelHandlerContext ctx, ChannelHandler[] handlers) {
        String after = ctx.name();
        for (ChannelHandler h : handlers) {
            ctx.pipeline().addAfter(after, null, h);
            after = ctx.pipeline().context(h).name();
        }
    }

    /** The protocol the bytes so far say, or null while they are a prefix of a preface. */
    static Protocol protocolOf(ByteBuf b) {
        Boolean grpc = isPreface(b);
        if (grpc == Boolean.TRUE) {
            return Protocol.GRPC;
        }
        Boolean raft = startsWith(b, RaftStreamWire.PREFACE);
        if (raft == Boolean.TRUE) {
            return Protocol.RAFT_STREAM;
        }
        return grpc == null || raft == null ? null : Protocol.HTTP1;
    }

    /** true: the preface; false: something else; null: too few bytes to tell yet. */
    static Boolean isPreface(ByteBuf b) {
        return startsWith(b, PREFACE);
    }

    /** true: {@code b} starts with {@code preface}; false: it cannot; null: too few bytes to tell. */
    private static Boolean startsWith(ByteBuf b, byte[] preface) {
        int n = Math.min(b.readableBytes(), preface.length);
        for (int i = 0; i < n; i++) {
            if (b.getByte(b.readerIndex() + i) != preface[i]) {
                return false;
            }
        }
        return n == preface.length ? Boolean.TRUE : null;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (undecided != null) {
            undecided.cancel(false);
        }
        if (received != null) {
            received.release();
            received = null;
        }
    }
}
