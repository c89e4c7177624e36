package io.etcdj.server.clientport;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.SecurityLevel;
import io.grpc.ServerCredentials;
import io.grpc.internal.GrpcAttributes;
import io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.InternalProtocolNegotiationEvent;
import io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.ProtocolNegotiationEvent;
import io.etcdj.server.tls.TlsMaterial;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/**
 * Lets gRPC's Netty server share its port with HTTP/1: every connection starts with a
 * {@link ProtocolSniffer} that hands HTTP/2 connections to gRPC's own plaintext negotiation and
 * HTTP/1 connections to the handlers {@code installHttp1} adds. For an https URL, TLS comes first
 * and the sniffer looks at the decrypted bytes.
 *
 * <p>ALPN over TLS: a client that offers "http/1.1" (curl, browsers) gets it, so its plain HTTP
 * requests reach the HTTP/1 handlers; a client offering only "h2" (every gRPC client) gets "h2".
 */
public final class ClientPortNegotiator implements InternalProtocolNegotiator.ProtocolNegotiator {
    private final InternalProtocolNegotiator.ProtocolNegotiator grpc = InternalProtocolNegotiators.serverPlaintext();
    private final Consumer<ChannelHandlerContext> installHttp1;
    /** Null for plaintext. */
    private final SSLContext tls;
    private final TlsMaterial material;
    private final ClientPortTraffic traffic;

    private ClientPortNegotiator(Consumer<ChannelHandlerContext> installHttp1, TlsMaterial material,
                                 ClientPortTraffic traffic) throws IOException {
        this.installHttp1 = installHttp1;
        this.material = material;
        this.traffic = traffic;
        this.tls = material == null ? null : material.sslContext();
    }

    /** Server credentials for {@code NettyServerBuilder.forAddress(address, credentials)}. */
    public static ServerCredentials plaintext(Consumer<ChannelHandlerContext> installHttp1) {
        return plaintext(installHttp1, ClientPortTraffic.GRPC_AND_HTTP);
    }

    /** The same for a listener that serves only one of the protocols. */
    public static ServerCredentials plaintext(Consumer<ChannelHandlerContext> installHttp1, ClientPortTraffic traffic) {
        try {
            return InternalNettyServerCredentials.create(new ClientPortNegotiator(installHttp1, null, traffic));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // no TLS: nothing to read
        }
    }

    /** The same over TLS. */
    public static ServerCredentials tls(Consumer<ChannelHandlerContext> installHttp1, TlsMaterial material)
            throws IOException {
        return tls(installHttp1, material, ClientPortTraffic.GRPC_AND_HTTP);
    }

    /** The same over TLS, for a listener that serves only one of the protocols. */
    public static ServerCredentials tls(Consumer<ChannelHandlerContext> installHttp1, TlsMaterial material,
                                        ClientPortTraffic traffic) throws IOException {
        return InternalNettyServerCredentials.create(new ClientPortNegotiator(installHttp1, material, traffic));
    }

    @Override
    public AsciiString scheme() {
        return tls == null ? grpc.scheme() : AsciiString.of("https");
    }

    @Override
    public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
        ChannelHandler grpcChain = grpc.newHandler(grpcHandler);
        if (tls == null) {
            return new ProtocolSniffer(grpcChain, installHttp1, UnaryOperator.identity(), traffic, true);
        }
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void handlerAdded(ChannelHandlerContext ctx) {
                SSLEngine engine = material.serverEngine(tls);
                engine.setHandshakeApplicationProtocolSelector((e, offered) -> selectProtocol(offered));
                SslHandler ssl = new SslHandler(engine);
                ProtocolSniffer sniffer = new ProtocolSniffer(grpcChain, installHttp1,
                        evt -> withSession(evt, ssl), traffic);
                ctx.pipeline().addAfter(ctx.name(), null, sniffer);
                ctx.pipeline().addAfter(ctx.name(), null, material.connectionCheck());
                ctx.pipeline().addAfter(ctx.name(), null, ssl);
                ctx.pipeline().remove(this);
            }
        };
    }

    static String selectProtocol(List<String> offered) {
        if (offered.contains("http/1.1")) {
            return "http/1.1";
        }
        return offered.contains("h2") ? "h2" : null;
    }

    /** gRPC learns of the TLS session (peer certificates) through its negotiation event. */
    private static Object withSession(Object evt, SslHandler ssl) {
        if (!(evt instanceof ProtocolNegotiationEvent pne)) {
            return evt;
        }
        Attributes attrs = InternalProtocolNegotiationEvent.getAttributes(pne).toBuilder()
                .set(Grpc.TRANSPORT_ATTR_SSL_SESSION, ssl.engine().getSession())
                .set(GrpcAttributes.ATTR_SECURITY_LEVEL, SecurityLevel.PRIVACY_AND_INTEGRITY)
                .build();
        return InternalProtocolNegotiationEvent.withAttributes(pne, attrs);
    }

    @Override
    public void close() {
        grpc.close();
    }
}
