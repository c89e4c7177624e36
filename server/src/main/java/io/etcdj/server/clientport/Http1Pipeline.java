package io.etcdj.server.clientport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.function.BiConsumer;

/**
 * The HTTP/1 half of a shared port: what {@link ProtocolSniffer} installs after itself on a
 * connection that is not gRPC. Requests are decoded (heads up to Go's limit), refused as Go's
 * server refuses them when malformed ({@link GoRequestRefusals}), aggregated up to {@code maxBody}
 * bytes and handed to {@code serve} whole; a connection that fails is closed.
 */
public final class Http1Pipeline {
    private Http1Pipeline() {}

    public static void install(ChannelHandlerContext sniffer, int maxBody,
                               BiConsumer<ChannelHandlerContext, FullHttpRequest> serve) {
        install(sniffer, maxBody, null, serve);
    }

    /**
     * @param afterCodec a stage between the codec and the aggregator (it sees each request's head
     *     and each response on its way out), or null
     */
    public static void install(ChannelHandlerContext sniffer, int maxBody, ChannelHandler afterCodec,
                               BiConsumer<ChannelHandlerContext, FullHttpRequest> serve) {
        ChannelPipeline p = sniffer.pipeline();
        String codec = sniffer.name() + "-http-codec";
        String aggregator = sniffer.name() + "-http-aggregator";
        p.addAfter(sniffer.name(), codec, new HttpServerCodec(GoRequestRefusals.MAX_HEAD_BYTES,
                GoRequestRefusals.MAX_HEAD_BYTES, 8192));
        String refusals = sniffer.name() + "-http-refusals";
        p.addAfter(codec, refusals, new GoRequestRefusals());
        String beforeAggregator = refusals;
        if (afterCodec != null) {
            beforeAggregator = sniffer.name() + "-http-after-codec";
            p.addAfter(refusals, beforeAggregator, afterCodec);
        }
        p.addAfter(beforeAggregator, aggregator, new HttpObjectAggregator(maxBody));
        p.addAfter(aggregator, sniffer.name() + "-http-router", new SimpleChannelInboundHandler<FullHttpRequest>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                serve.accept(ctx, req);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        });
    }
}
