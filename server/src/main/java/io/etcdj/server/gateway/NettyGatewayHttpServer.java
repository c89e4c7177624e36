package io.etcdj.server.gateway;

import io.etcdj.server.http.GoHttpDate;
import io.etcdj.server.http.GoResponseFraming;
import io.grpc.Status;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Serves a {@link JsonGateway} over HTTP/1.1 with Netty (the same library as the v2 API's
 * transport, so the client port can carry both). Request bodies are aggregated (up to 16 MiB)
 * before the gateway sees them; a watch's request stream therefore starts when its body is
 * complete. The server that owns the client port hands requests from its own pipeline to
 * {@link #serve} and never calls {@link #start}.
 */
public final class NettyGatewayHttpServer implements AutoCloseable {
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final JsonGateway gateway;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;

    public NettyGatewayHttpServer(JsonGateway gateway) {
        this.gateway = gateway;
    }

    /** Binds {@code host:port} (port 0: any free port) and returns the bound port. */
    public int start(String host, int port) throws InterruptedException {
        boss = new NioEventLoopGroup(1);
        workers = new NioEventLoopGroup(2);
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY), channelHandler());
                    }
                });
        serverChannel = b.bind(host, port).sync().channel();
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The last pipeline stage (after an HTTP codec and aggregator): hands requests to the gateway. */
    public SimpleChannelInboundHandler<FullHttpRequest> channelHandler() {
        return new SimpleChannelInboundHandler<>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                serve(ctx, req);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        };
    }

    /** Answers one request (without blocking); {@code req} is copied, so the caller may release it. */
    public void serve(ChannelHandlerContext ctx, FullHttpRequest req) {
        NettyExchange ex = new NettyExchange(ctx.channel(), req);
        try {
            gateway.handle(ex);
        } catch (RuntimeException e) {
            if (!ex.answered) {
                ex.respond(GatewayReplies.grpcError(Status.fromThrowable(e)));
            }
        }
    }

    /** Answers one request with a text line and {@code status} (Go's http.Error), without the gateway. */
    public void refuse(ChannelHandlerContext ctx, FullHttpRequest req, int status, String text) {
        new NettyExchange(ctx.channel(), req).respond(GatewayReplies.plainText(status, text));
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** One request on a Netty channel. */
    static final class NettyExchange implements GatewayHttpExchange {
        private final Channel channel;
        private final String method;
        private final String path;
        private final HttpHeaders headers;
        private final byte[] body;
        private final String bodyError;
        private final GoResponseFraming framing;
        volatile boolean answered;

        NettyExchange(Channel channel, FullHttpRequest req) {
            this.channel = channel;
            this.method = req.method().name();
            this.path = new QueryStringDecoder(req.uri()).path();
            this.headers = req.headers().copy();
            this.body = ByteBufUtil.getBytes(req.content());
            // on the client port a broken head never gets here (GoRequestRefusals answers it): a
            // failure is in the chunked body
            this.bodyError = req.decoderResult().isFailure() ? "invalid byte in chunk length" : null;
            this.framing = GoResponseFraming.of(req);
        }

        @Override public String method() { return method; }
        @Override public String path() { return path; }
        @Override public String header(String name) { return headers.get(name); }
        @Override public List<Map.Entry<String, String>> headers() { return headers.entries(); }
        @Override public byte[] body() { return body; }
        @Override public String bodyError() { return bodyError; }

        @Override
        public void onClientGone(Runnable onGone) {
            channel.closeFuture().addListener(f -> onGone.run());
        }

        @Override
        public void respond(GatewayHttpResponse r) {
            answered = true;
            HttpResponseStatus status = HttpResponseStatus.valueOf(r.status());
            boolean withLength = !GoResponseFraming.sentWithoutLength(r.body().length);
            if (withLength && (r.trailers().isEmpty() || !framing.chunksStreams())) {
                // trailers need chunks: an HTTP/1.0 client gets the body alone, as from Go
                DefaultFullHttpResponse resp = new DefaultFullHttpResponse(framing.version(), status,
                        Unpooled.wrappedBuffer(r.body()));
                addHeaders(resp.headers(), r.headers());
                resp.headers().add("Content-Length", Integer.toString(r.body().length));
                framing.addConnectionHeader(resp.headers(), false);
                finish(channel.writeAndFlush(resp), false);
                return;
            }
            DefaultHttpResponse resp = new DefaultHttpResponse(framing.version(), status);
            addHeaders(resp.headers(), r.headers());
            framing.addConnectionHeader(resp.headers(), true);
            if (framing.chunksStreams()) {
                resp.headers().add("Transfer-Encoding", "chunked");
            }
            channel.write(resp);
            channel.write(new DefaultHttpContent(Unpooled.wrappedBuffer(r.body())));
            DefaultLastHttpContent last = new DefaultLastHttpContent();
            if (framing.chunksStreams()) {
                for (Map.Entry<String, String> t : r.trailers()) {
                    last.trailingHeaders().add(t.getKey(), t.getValue());
                }
            }
            finish(channel.writeAndFlush(last), true);
        }

        @Override
        public ResponseStream startStream(int status, List<Map.Entry<String, String>> h) {
            answered = true;
            DefaultHttpResponse resp = new DefaultHttpResponse(framing.version(), HttpResponseStatus.valueOf(status));
            addHeaders(resp.headers(), h);
            framing.addConnectionHeader(resp.headers(), true);
            if (framing.chunksStreams()) {
                resp.headers().add("Transfer-Encoding", "chunked");
            }
            channel.writeAndFlush(resp);
            return new ResponseStream() {
                @Override
                public void write(byte[] part) {
                    channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(part)));
                }

                @Override
                public void end() {
                    finish(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), true);
                }
            };
        }

        private static void addHeaders(HttpHeaders out, List<Map.Entry<String, String>> h) {
            for (Map.Entry<String, String> e : h) {
                out.add(e.getKey(), e.getValue());
            }
            out.add("Date", GoHttpDate.now());
        }

        private void finish(ChannelFuture f, boolean streamed) {
            if (!framing.keepsConnection(streamed)) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
