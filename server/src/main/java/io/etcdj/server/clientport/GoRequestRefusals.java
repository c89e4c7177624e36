package io.etcdj.server.clientport;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * What Go's net/http does before any handler runs, right after the HTTP codec: a request head
 * the codec could not decode (request line, header syntax, Content-Length), whose method is not a
 * token or whose target is neither "/path", an absolute URL nor "*", or whose path has a bad
 * %-escape, gets the bare "400 Bad Request"; an HTTP/1.1 request without a Host header gets "400
 * Bad Request: missing required Host header"; a head over Go's size limit gets 431. Each is
 * written raw, with only Go's two headers (no CORS), and the connection is closed. ServeMux's
 * empty 400 answers "*" (but for OPTIONS). An absolute-form target ("GET http://host/path") is
 * served as its path and query, as Go routes by the parsed URL. Every other request passes on
 * untouched.
 *
 * <p>Invariant: once a request is refused, nothing more from the connection passes on.
 */
final class GoRequestRefusals extends ChannelInboundHandlerAdapter {
    /** Go's http.DefaultMaxHeaderBytes plus the 4096 bytes of slack its reader allows. */
    static final int MAX_HEAD_BYTES = (1 << 20) + 4096;

    private static final String BAD_REQUEST = "400 Bad Request";
    private static final String MISSING_HOST = "400 Bad Request: missing required Host header";
    private static final String HEAD_TOO_LARGE = "431 Request Header Fields Too Large";

    private boolean refused;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest req) {
            if (req.uri().equals("*") && !req.method().name().equals("OPTIONS") && refusal(req) == null) {
                refused = true;
                ReferenceCountUtil.release(msg);
                write(ctx, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
                return;
            }
            int scheme = req.uri().indexOf("://");
            if (scheme > 0 && !req.uri().startsWith("/")) {
                int pathStart = req.uri().indexOf('/', scheme + 3);
                req.setUri(pathStart < 0 ? "/" : req.uri().substring(pathStart));
            }
            String refusal = refusal(req);
            if (refusal != null) {
                refused = true;
                ReferenceCountUtil.release(msg);
                refuse(ctx, refusal);
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Go's status text for a request it would not hand to a handler, or null to serve it. */
    static String refusal(HttpRequest req) {
        if (req.decoderResult().isFailure()) {
            return req.decoderResult().cause() instanceof TooLongFrameException ? HEAD_TOO_LARGE : BAD_REQUEST;
        }
        if (!isToken(req.method().name())) {
            return BAD_REQUEST;
        }
        if (req.protocolVersion().equals(HttpVersion.HTTP_1_1) && !req.headers().contains(HttpHeaderNames.HOST)) {
            return MISSING_HOST;
        }
        if (req.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
            return BAD_REQUEST;
        }
        String uri = req.uri();
        if (!uri.equals("*") && (!uri.startsWith("/") || !escapesAreValid(uri.split("\\?", 2)[0]))) {
            return BAD_REQUEST;
        }
        return null;
    }

    /** Go's unescape of a path: every '%' starts two hex digits. */
    private static boolean escapesAreValid(String path) {
        for (int i = path.indexOf('%'); i >= 0; i = path.indexOf('%', i + 1)) {
            if (i + 2 >= path.length() || Character.digit(path.charAt(i + 1), 16) < 0
                    || Character.digit(path.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Writes Go's refusal below the codec (the codec's encoder takes only HTTP objects) and closes. */
    private static void refuse(ChannelHandlerContext ctx, String status) {
        write(ctx, "HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"
                + status);
    }

    private static void write(ChannelHandlerContext ctx, String reply) {
        ChannelHandlerContext below = ctx.pipeline().context(HttpServerCodec.class);
        (below != null ? below : ctx).writeAndFlush(Unpooled.copiedBuffer(reply, StandardCharsets.ISO_8859_1))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** RFC 7230's token: what Go's validMethod accepts. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
