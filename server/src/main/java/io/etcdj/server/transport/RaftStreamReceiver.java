package io.etcdj.server.transport;

import io.etcdj.server.pb.PeerBatch;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of a raft stream ({@link RaftStreamWire}) on a peer-port connection whose
 * preface the sniffer has already consumed: each frame's batch goes to {@code accept}, on this
 * connection's event-loop thread; a refused batch, a frame too large or one that does not parse
 * closes the connection (the sender reconnects with back-off).
 */
final class RaftStreamReceiver extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RaftStreamReceiver.class);

    private final Predicate<PeerBatch> accept;

    private RaftStreamReceiver(Predicate<PeerBatch> accept) {
        this.accept = accept;
    }

    /** The handlers, in pipeline order, that turn a raft stream's bytes into accepted batches. */
    static ChannelHandler[] pipeline(Predicate<PeerBatch> accept) {
        return new ChannelHandler[] {
            new LengthFieldBasedFrameDecoder(RaftStreamWire.MAX_FRAME_BYTES, 0, RaftStreamWire.LENGTH_BYTES, 0,
                    RaftStreamWire.LENGTH_BYTES),
            new RaftStreamReceiver(accept)};
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        PeerBatch batch;
        try {
            batch = PeerBatch.parseFrom(frame.nioBuffer());
        } finally {
            frame.release();
        }
        if (!accept.test(batch)) {
            ctx.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("closing a raft stream from {}", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
