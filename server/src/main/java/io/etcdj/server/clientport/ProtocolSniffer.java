package io.etcdj.server.clientport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The first handler of every client-port connection: it decides from the connection's first
 * bytes whether the client speaks HTTP/2 with prior knowledge (gRPC: the bytes start with the
 * HTTP/2 connection preface) or HTTP/1.x (curl, the JSON gateway, v2, /health, /metrics), and
 * then replaces itself with the matching pipeline, as etcd's cmux does on one port. A connection
 * whose protocol the listener does not serve ({@link ClientPortTraffic}) is closed unanswered.
 * With {@code requestLineFirst} (plaintext, where etcd's cmux picks HTTP/1 by its first line) a
 * connection whose first line is not "METHOD URI HTTP/1.x" is closed unanswered too, as cmux
 * closes a connection no matcher takes; over TLS Go's HTTP server answers such bytes itself.
 *
 * <p>Invariant: until the decision, nothing below this handler sees any event. gRPC's handler
 * chain is added only for an HTTP/2 connection (it would otherwise greet an HTTP/1 client with an
 * HTTP/2 SETTINGS frame); the channel-active and user events it expects are recorded and replayed
 * to it in their original order, followed by the buffered bytes.
 */
final class ProtocolSniffer extends ChannelInboundHandlerAdapter {
    private static final byte[] HTTP2_PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ChannelHandler grpcChain;
    private final Consumer<ChannelHandlerContext> installHttp1;
    private final UnaryOperator<Object> rewriteEvent;
    private final ClientPortTraffic traffic;
    private final boolean requestLineFirst;
    /** Events seen before the decision, to replay to the gRPC chain: {@link #ACTIVE} or a user event. */
    private final List<Object> pending = new ArrayList<>();
    private ByteBuf buffered;

    private static final Object ACTIVE = new Object();

    /**
     * @param grpcChain gRPC's negotiation handler for this connection
     * @param installHttp1 adds the HTTP/1 handlers right after the sniffer's context
     */
    ProtocolSniffer(ChannelHandler grpcChain, Consumer<ChannelHandlerContext> installHttp1) {
        this(grpcChain, installHttp1, UnaryOperator.identity(), ClientPortTraffic.GRPC_AND_HTTP);
    }

    /** @param rewriteEvent applied to each recorded user event as it is replayed to gRPC (TLS adds its session) */
    /** @param traffic which of the two protocols this listener serves */
    ProtocolSniffer(ChannelHandler grpcChain, Consumer<ChannelHandlerContext> installHttp1,
                    UnaryOperator<Object> rewriteEvent, ClientPortTraffic traffic) {
        this(grpcChain, installHttp1, rewriteEvent, traffic, false);
    }

    /** @param requestLineFirst HTTP/1 only when the first line is a request line (cmux's HTTP1 matcher) */
    ProtocolSniffer(ChannelHandler grpcChain, Consumer<ChannelHandlerContext> installHttp1,
                    UnaryOperator<Object> rewriteEvent, ClientPortTraffic traffic,
                    boolean requestLineFirst) {
        this.requestLineFirst = requestLineFirst;
        this.grpcChain = grpcChain;
        this.installHttp1 = installHttp1;
        this.rewriteEvent = rewriteEvent;
        this.traffic = traffic;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        pending.add(ACTIVE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent) {
            ctx.fireUserEventTriggered(evt); // the TLS layer's own news; nothing below needs it replayed
            return;
        }
        pending.add(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (buffered == null) {
            buffered = in;
        } else {
            buffered = Unpooled.wrappedBuffer(buffered, in);
        }
        Boolean http2 = isHttp2(buffered);
        if (http2 == null) {
            return; // a prefix of the preface so far: wait for more bytes
        }
        Boolean requestLine = http2 || !requestLineFirst ? Boolean.TRUE : startsWithHttp1RequestLine(buffered);
        if (requestLine == null) {
            return; // the first line is not complete yet
        }
        if (!requestLine || (http2 ? !traffic.servesGrpc() : !traffic.servesHttp())) {
            release();
            pending.clear();
            ctx.close();
            return;
        }
        ByteBuf bytes = buffered;
        buffered = null;
        if (http2) {
            ctx.pipeline().addAfter(ctx.name(), null, grpcChain);
            for (Object e : pending) {
                if (e == ACTIVE) {
                    ctx.fireChannelActive();
                } else {
                    ctx.fireUserEventTriggered(rewriteEvent.apply(e));
                }
            }
        } else {
            removeHandlersAfter(ctx);
            installHttp1.accept(ctx);
            if (pending.contains(ACTIVE)) {
                ctx.fireChannelActive();
            }
        }
        pending.clear();
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(bytes);
    }

    /**
     * gRPC's transport ends its pipeline with a handler that holds back every write until its
     * HTTP/2 negotiation completes, which an HTTP/1 connection never does: it must go.
     */
    private static void removeHandlersAfter(ChannelHandlerContext ctx) {
        List<String> names = ctx.pipeline().names();
        for (int i = names.indexOf(ctx.name()) + 1; i < names.size(); i++) {
            if (ctx.pipeline().context(names.get(i)) != null) {
                ctx.pipeline().remove(names.get(i));
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        release();
        ctx.close();
    }

    private void release() {
        if (buffered != null) {
            buffered.release();
            buffered = null;
        }
    }

    /** cmux reads the first line through a 4096-byte buffer: a longer one matches nothing. */
    private static final int MAX_FIRST_LINE = 4096;
    private static final Pattern HTTP1_VERSION = Pattern.compile("HTTP/1\\.[0-9]");

    /**
     * cmux's HTTP1 matcher: the first line splits at its first two spaces into method, URI and a
     * version Go parses as HTTP/1.x. Null while the line is incomplete and short enough to wait for.
     */
    static Boolean startsWithHttp1RequestLine(ByteBuf buf) {
        int n = Math.min(buf.readableBytes(), MAX_FIRST_LINE);
        int newline = buf.indexOf(buf.readerIndex(), buf.readerIndex() + n, (byte) '\n');
        if (newline < 0) {
            return n == MAX_FIRST_LINE ? Boolean.FALSE : null;
        }
        String line = buf.toString(buf.readerIndex(), newline - buf.readerIndex(), StandardCharsets.ISO_8859_1);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        int s1 = line.indexOf(' ');
        int s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
        return s2 >= 0 && HTTP1_VERSION.matcher(line.substring(s2 + 1)).matches();
    }

    /** True: HTTP/2 preface; false: anything else; null: too few bytes to tell. */
    static Boolean isHttp2(ByteBuf buf) {
        int n = Math.min(buf.readableBytes(), HTTP2_PREFACE.length);
        for (int i = 0; i < n; i++) {
            if (buf.getByte(buf.readerIndex() + i) != HTTP2_PREFACE[i]) {
                return false;
            }
        }
        return n == HTTP2_PREFACE.length ? Boolean.TRUE : null;
    }
}
