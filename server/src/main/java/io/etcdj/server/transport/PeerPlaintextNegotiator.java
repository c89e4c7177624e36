package io.etcdj.server.transport;

import io.grpc.ServerCredentials;
import io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.InternalProtocolNegotiators;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AsciiString;
import java.util.function.Supplier;

/**
 * gRPC's plaintext server negotiation for an http:// peer URL with a handler of ours in front of
 * it (the protocol sniffer), which sees the connection's bytes and gRPC's negotiation event first.
 */
final class PeerPlaintextNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
    private final InternalProtocolNegotiator.ProtocolNegotiator plaintext = InternalProtocolNegotiators.serverPlaintext();
    private final Supplier<ChannelHandler> inFront;

    private PeerPlaintextNegotiator(Supplier<ChannelHandler> inFront) {
        this.inFront = inFront;
    }

    static ServerCredentials credentials(Supplier<ChannelHandler> inFront) {
        return InternalNettyServerCredentials.create(new PeerPlaintextNegotiator(inFront));
    }

    @Override
    public AsciiString scheme() {
        return plaintext.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        ChannelHandler grpcPlaintext = plaintext.newHandler(grpcHandler);
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                // gRPC fires its negotiation event from the pipeline's head once this is added
                ctx.pipeline().addBefore(ctx.name(), null, inFront.get());
                ctx.pipeline().replace(this, null, grpcPlaintext);
            }
        };
    }

    @Override
    public void close() {
        plaintext.close();
    }
}
