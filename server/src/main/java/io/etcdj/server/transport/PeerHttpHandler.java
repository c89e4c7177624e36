package io.etcdj.server.transport;

import io.etcdj.server.http.GoHttpDate;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Answers HTTP/1.1 requests on a peer-port connection with {@link PeerHttpRoutes}, one at a time
 * in arrival order (pipelined requests are answered in request order even when an earlier answer
 * takes longer). Keep-alive as the request asks.
 */
final class PeerHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    /** Bodies larger than this (etcd reads at most 64 KiB of a raft message) are refused with 413. */
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;

    private final PeerHttpRoutes routes;
    /** Completes once every answer so far is written: answers leave in request order. */
    private CompletableFuture<Void> inOrder = CompletableFuture.completedFuture(null);

    private PeerHttpHandler(PeerHttpRoutes routes) {
        this.routes = routes;
    }

    /** etcd's peer server reads a request for at most 5 minutes, and keeps an idle connection as long. */
    static final int IDLE_SECONDS = 300;

    /** The handlers, in pipeline order, that turn a connection's bytes into answered requests. */
    static ChannelHandler[] pipeline(PeerHttpRoutes routes) {
        return new ChannelHandler[] {new IdleStateHandler(IDLE_SECONDS, 0, 0), new HttpServerCodec(),
                new HttpObjectAggregator(MAX_BODY_BYTES), new PeerHttpHandler(routes)};
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close(); // nothing read for IDLE_SECONDS
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String refused = refusal(request);
        if (refused != null) {
            inOrder = inOrder.thenRunAsync(() -> refuse(ctx, refused), ctx.executor());
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpMethod method = request.method();
        HttpVersion version = request.protocolVersion();
        CompletableFuture<PeerHttpAnswer> next = routes.answer(parse(request));
        inOrder = inOrder.thenCompose(previous -> next.exceptionally(
                        failure -> PeerHttpAnswer.error(500, "Internal Server Error")))
                .thenAcceptAsync(a -> answer(ctx, version, keepAlive, method, a), ctx.executor());
    }

    /**
     * The reason Go's HTTP server itself refuses a request before any handler sees it (a request
     * it cannot parse, an HTTP/1.1 request without Host, a path with a bad escape), or null.
     */
    private static String refusal(FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            return "Bad Request";
        }
        if (request.protocolVersion().equals(HttpVersion.HTTP_1_1) && !request.headers().contains("Host")) {
            return "Bad Request: missing required Host header";
        }
        try {
            int query = request.uri().indexOf('?');
            percentDecoded(query < 0 ? request.uri() : request.uri().substring(0, query));
        } catch (IllegalArgumentException e) {
            return "Bad Request";
        }
        return null;
    }

    /** Go's answer to a request it refuses: "400 <reason>" as the status line and the body, then close. */
    private static void refuse(ChannelHandlerContext ctx, String reason) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                new HttpResponseStatus(400, reason), Unpooled.copiedBuffer("400 " + reason, StandardCharsets.UTF_8));
        response.headers().set("Content-Type", "text/plain; charset=utf-8");
        response.headers().set("Connection", "close");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static PeerHttpRequest parse(FullHttpRequest request) {
        String target = request.uri();
        int q = target.indexOf('?');
        String rawPath = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        if (!rawPath.startsWith("/")) {
            // absolute-form "http://host/path": the path after the authority
            int scheme = rawPath.indexOf("://");
            int slash = scheme < 0 ? -1 : rawPath.indexOf('/', scheme + 3);
            rawPath = slash < 0 ? "" : rawPath.substring(slash);
        }
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
        }
        return new PeerHttpRequest(request.method().name(), percentDecoded(rawPath), query, headers,
                ByteBufUtil.getBytes(request.content()));
    }

    /** Go's path unescaping: %XX to its byte, bytes read as UTF-8, '+' kept; a bad escape is an error. */
    static String percentDecoded(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] in = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%') {
                if (i + 2 >= in.length || Character.digit(in[i + 1], 16) < 0 || Character.digit(in[i + 2], 16) < 0) {
                    throw new IllegalArgumentException("invalid URL escape");
                }
                out.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void answer(ChannelHandlerContext ctx, HttpVersion version, boolean keepAlive, HttpMethod method,
                               PeerHttpAnswer a) {
        if (a.dropConnection()) {
            ctx.close();
            return;
        }
        boolean head = method.equals(HttpMethod.HEAD);
        FullHttpResponse response = new DefaultFullHttpResponse(version,
                HttpResponseStatus.valueOf(a.status()), head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(a.body()));
        for (Map.Entry<String, String> h : a.headers()) {
            response.headers().add(h.getKey(), h.getValue());
        }
        // Go's spelling of the names it adds; a HEAD answer without a body has no length, as Go's
        response.headers().set("Date", GoHttpDate.now());
        if (a.status() != 204 && !(head && a.body().length == 0)) {
            response.headers().set("Content-Length", a.body().length);
        }
        if (!keepAlive && version.equals(HttpVersion.HTTP_1_1)) {
            response.headers().set("Connection", "close");
        }
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a broken connection or a malformed request: nothing left to answer
    }
}
