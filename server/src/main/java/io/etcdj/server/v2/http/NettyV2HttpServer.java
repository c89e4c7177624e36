package io.etcdj.server.v2.http;

import io.etcdj.server.http.GoHttpDate;
import io.etcdj.server.http.GoResponseFraming;
import io.etcdj.server.tls.CertificateNames;
import io.etcdj.server.tls.TlsMaterial;
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
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Serves a {@link V2HttpHandler} (the {@link V2Router}, or the client port's endpoints) over
 * plain HTTP/1.1 with Netty. Why Netty rather than the JDK's
 * com.sun.net.httpserver: header names go out exactly as given (the JDK rewrites their case, e.g.
 * "Content-length"), chunked watch streams are under our control, and a closed connection is seen
 * at once so an abandoned long-poll watch is dropped instead of lingering until its next event.
 *
 * <p>Requests are handled one at a time per connection (reading pauses until the answer is
 * complete) on a worker pool, because handlers block (watches, proposals); I/O threads never do.
 * The server that owns the client port can instead hand requests from its own pipeline to
 * {@link #serve} and never call {@link #start}.
 */
public final class NettyV2HttpServer implements AutoCloseable {
    private static final int MAX_BODY = 16 * 1024 * 1024;

    private final V2HttpHandler router;
    /** Makes one server-side TLS engine per connection; null for plain HTTP. */
    /** Null: plain HTTP. */
    private final TlsMaterial tls;
    private final SSLContext tlsContext;
    private final ExecutorService handlers;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;

    public NettyV2HttpServer(V2HttpHandler router) {
        this(router, null, null);
    }

    /** @param tls a server side's TLS for every connection, with its connection checks (null: plain HTTP) */
    public NettyV2HttpServer(V2HttpHandler router, TlsMaterial tls) throws IOException {
        this(router, tls, tls == null ? null : tls.sslContext());
    }

    private NettyV2HttpServer(V2HttpHandler router, TlsMaterial tls,
                              SSLContext tlsContext) {
        this.tls = tls;
        this.tlsContext = tlsContext;
        this.router = router;
        AtomicInteger n = new AtomicInteger();
        this.handlers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "v2-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Binds {@code host:port} (port 0: any free port) and returns the bound port. */
    public int start(String host, int port) throws InterruptedException {
        boss = new NioEventLoopGroup(1);
        workers = new NioEventLoopGroup(2);
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(new SslHandler(tls.serverEngine(tlsContext)));
                            ch.pipeline().addLast(tls.connectionCheck());
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                                channelHandler());
                    }
                });
        serverChannel = b.bind(host, port).sync().channel();
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The last pipeline stage (after an HTTP codec and aggregator) that dispatches to the router. */
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

    /**
     * Answers one request on its own worker thread; the connection reads nothing more until the
     * answer is complete. {@code req} is copied before returning, so the caller may release it.
     */
    public void serve(ChannelHandlerContext ctx, FullHttpRequest req) {
        NettyExchange ex = new NettyExchange(ctx.channel(), req);
        ctx.channel().config().setAutoRead(false);
        handlers.execute(() -> {
            try {
                router.handle(ex);
            } catch (RuntimeException e) {
                if (!ex.answered) {
                    ex.respond(V2HttpResponse.json(500, V2Json.message("Internal Server Error")));
                }
            }
        });
    }

    /** Answers {@code req} at once with {@code response}, without the router (the access controller's own answers). */
    public void answer(ChannelHandlerContext ctx, FullHttpRequest req, V2HttpResponse response) {
        new NettyExchange(ctx.channel(), req).respond(response);
    }

    @Override
    public void close() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        handlers.shutdownNow(); // interrupts blocked watches, which then end their answers
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** One request on a Netty channel. */
    static final class NettyExchange implements V2HttpExchange {
        private final Channel channel;
        private final String method;
        private final String path;
        private final String rawPath;
        private final String rawQuery;
        private final HttpHeaders headers;
        private final byte[] body;
        private final GoResponseFraming framing;
        private final List<String> certificateNames;
        volatile boolean answered;

        NettyExchange(Channel channel, FullHttpRequest req) {
            this.channel = channel;
            this.method = req.method().name();
            String uri = req.uri();
            int hash = uri.indexOf('#');
            if (hash >= 0) {
                uri = uri.substring(0, hash);
            }
            int q = uri.indexOf('?');
            this.rawQuery = q < 0 ? "" : uri.substring(q + 1);
            this.rawPath = q < 0 ? uri : uri.substring(0, q);
            this.path = RequestTargetBytes.path(rawPath);
            this.headers = req.headers().copy();
            this.body = ByteBufUtil.getBytes(req.content());
            this.framing = GoResponseFraming.of(req);
            this.certificateNames = certificateNames(channel);
        }

        private static List<String> certificateNames(Channel channel) {
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            if (ssl == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            SSLSession session = ssl.engine().getSession();
            try {
                for (Certificate c : session.getPeerCertificates()) {
                    if (c instanceof X509Certificate x) {
                        names.add(CertificateNames.commonName(x));
                    }
                }
            } catch (SSLPeerUnverifiedException noClientCertificate) {
                return List.of();
            }
            // the root of the verified chain, as etcd walks it (the client does not send it)
            if (session.getValue(CertificateNames.TRUST_ANCHOR_CN) instanceof String root) {
                names.add(root);
            }
            return names;
        }

        @Override public String method() { return method; }
        @Override public String path() { return path; }
        @Override public String rawQuery() { return rawQuery; }
        @Override public String header(String name) { return headers.get(name); }
        @Override public String rawPath() { return rawPath; }
        @Override public List<Map.Entry<String, String>> headers() { return headers.entries(); }

        @Override
        public String remoteIp() {
            return channel.remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                    ? a.getAddress().getHostAddress() : "";
        }
        @Override public List<String> clientCertificateNames() { return certificateNames; }
        @Override public byte[] body() { return body; }
        @Override public boolean isOpen() { return channel.isActive(); }

        @Override
        public void respond(V2HttpResponse r) {
            answered = true;
            boolean head = method.equals("HEAD");
            if (GoResponseFraming.sentWithoutLength(r.body().length) && !head) {
                respondWithoutLength(r);
                return;
            }
            byte[] content = head ? new byte[0] : r.body();
            DefaultFullHttpResponse resp = new DefaultFullHttpResponse(framing.version(),
                    HttpResponseStatus.valueOf(r.status()), Unpooled.wrappedBuffer(content));
            HttpHeaders h = resp.headers();
            for (Map.Entry<String, String> e : r.headers()) {
                h.add(e.getKey(), e.getValue());
            }
            h.add("Date", GoHttpDate.now());
            // a HEAD answer to a body Go would not have held back goes out without a length either
            if (r.status() != 204 && r.status() != 304 && !GoResponseFraming.sentWithoutLength(r.body().length)) {
                h.add("Content-Length", Integer.toString(r.body().length));
            }
            if (r.isSniffedText()) {
                h.add("Content-Type", "text/plain; charset=utf-8");
            }
            framing.addConnectionHeader(h, false);
            finish(channel.writeAndFlush(resp), false);
        }

        /** A whole body longer than Go holds back: sent as a stream of one part. */
        private void respondWithoutLength(V2HttpResponse r) {
            ResponseStream stream = startStream(r, r.isSniffedText());
            try {
                stream.write(r.body());
            } catch (IOException clientGone) {
                return;
            }
            stream.end();
        }

        @Override
        public ResponseStream startStream(V2HttpResponse r) {
            return startStream(r, false);
        }

        /** {@code sniffedText}: Go's sniffed Content-Type goes after Date, as Go writes it. */
        private ResponseStream startStream(V2HttpResponse r, boolean sniffedText) {
            answered = true;
            DefaultHttpResponse resp = new DefaultHttpResponse(framing.version(), HttpResponseStatus.valueOf(r.status()));
            HttpHeaders h = resp.headers();
            for (Map.Entry<String, String> e : r.headers()) {
                h.add(e.getKey(), e.getValue());
            }
            h.add("Date", GoHttpDate.now());
            if (sniffedText) {
                h.add("Content-Type", "text/plain; charset=utf-8");
            }
            framing.addConnectionHeader(h, true);
            if (framing.chunksStreams()) {
                h.add("Transfer-Encoding", "chunked");
            }
            channel.writeAndFlush(resp);
            // one read while the body streams, so a client hanging up is seen (isOpen turns false)
            // instead of the connection lingering half-closed until the stream's next part
            channel.read();
            return new ResponseStream() {
                @Override
                public void write(byte[] part) throws IOException {
                    if (!channel.isActive()) {
                        throw new IOException("client gone");
                    }
                    channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(part)));
                }

                @Override
                public void end() {
                    finish(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), true);
                }
            };
        }

        private void finish(ChannelFuture f, boolean streamed) {
            if (framing.keepsConnection(streamed)) {
                f.addListener((ChannelFutureListener) fut -> {
                    channel.config().setAutoRead(true);
                    channel.read();
                });
            } else {
                f.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
