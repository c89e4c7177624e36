package io.etcdj.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.grpc.netty.shaded.io.netty.bootstrap.Bootstrap;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFuture;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * --log-outputs=systemd/journal: every entry goes to journald as one datagram of its native
 * protocol ({@link JournalFields}) on /run/systemd/journal/socket, with the fields etcd's journal
 * writer sends: MESSAGE (the entry as zap's JSON line), PRIORITY (syslog severity of its level),
 * PACKAGE (the caller's package, as in zap's caller) and SYSLOG_IDENTIFIER ("etcd"). An entry
 * journald does not take (no journal socket, a datagram over the socket's size limit, or no
 * epoll transport to send unix datagrams with) is written to standard error instead, as etcd's
 * writer falls back.
 */
public final class JournaldAppender extends AppenderBase<ILoggingEvent> {
    /** journald's socket for native-protocol clients. */
    public static final String JOURNAL_SOCKET = "/run/systemd/journal/socket";

    private static final long SEND_TIMEOUT_MILLIS = 1000;

    private final String socketPath;
    private final PrintStream fallback;
    private final ZapLayout layout = new ZapLayout(false);
    private EventLoopGroup group;
    /** Connected to the journal socket; null when it could not be connected. */
    private Channel channel;

    public JournaldAppender(String socketPath, PrintStream fallback) {
        this.socketPath = socketPath;
        this.fallback = fallback;
    }

    @Override
    public void start() {
        layout.setContext(getContext());
        layout.start();
        if (Epoll.isAvailable()) {
            group = new EpollEventLoopGroup(1);
            try {
                channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                        .handler(new ChannelInboundHandlerAdapter())
                        .connect(new DomainSocketAddress(socketPath)).sync().channel();
            } catch (Exception e) { // no journal here: every entry falls back
                channel = null;
            }
        }
        super.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        String line = layout.doLayout(event);
        String message = line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
        if (!sent(event, message)) {
            fallback.print(line);
            fallback.flush();
        }
    }

    private boolean sent(ILoggingEvent event, String message) {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return false;
        }
        String caller = ZapLayout.caller(event);
        int slash = caller.lastIndexOf('/');
        byte[] datagram = JournalFields.encode(List.of(
                Map.entry("MESSAGE", message),
                Map.entry("PRIORITY", Integer.toString(priority(event.getLevel()))),
                Map.entry("PACKAGE", slash < 0 ? "." : caller.substring(0, slash)),
                Map.entry("SYSLOG_IDENTIFIER", "etcd")));
        ChannelFuture write = ch.writeAndFlush(Unpooled.wrappedBuffer(datagram));
        return write.awaitUninterruptibly(SEND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) && write.isSuccess();
    }

    /** syslog severities: error 3, warning 4, info 6, debug 7 (Logback has nothing above error). */
    static int priority(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> 3;
            case Level.WARN_INT -> 4;
            case Level.INFO_INT -> 6;
            default -> 7;
        };
    }

    @Override
    public void stop() {
        super.stop();
        if (channel != null) {
            channel.close().awaitUninterruptibly(SEND_TIMEOUT_MILLIS);
            channel = null;
        }
        if (group != null) {
            group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
            group = null;
        }
        layout.stop();
    }
}
