package io.etcdj.server.clientport;

import io.grpc.ServerCredentials;
import io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.InternalProtocolNegotiators;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.AsciiString;
import java.util.function.Consumer;

/**
 * Lets gRPC's Netty server share its port with HTTP/1: every connection starts with a
 * {@link ProtocolSniffer} that hands HTTP/2 connections to gRPC's own plaintext negotiation and
 * HTTP/1 connections to the handlers {@code installHttp1} adds.
 */
public final class ClientPortNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
    private final InternalProtocolNegotiator.ProtocolNegotiator grpc = InternalProtocolNegotiators.serverPlaintext();
    private final Consumer<ChannelHandlerContext> installHttp1;

    private ClientPortNegotiator(Consumer<ChannelHandlerContext> installHttp1) {
        this.installHttp1 = installHttp1;
    }

    /** Server credentials for {@code NettyServerBuilder.forAddress(address, credentials)}. */
    public static ServerCredentials plaintext(Consumer<ChannelHandlerContext> installHttp1) {
        return InternalNettyServerCredentials.create(new ClientPortNegotiator(installHttp1));
    }

    @Override
    public AsciiString scheme() {
        return grpc.scheme();
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        return new ProtocolSniffer(grpc.newHandler(grpcHandler), installHttp1);
    }

    @Override
    public void close() {
        grpc.close();
    }
}
