package io.etcdj.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * --log-outputs=systemd/journal: every entry goes to journald as one datagram of its native
 * protocol ({@link JournalFields}) on /run/systemd/journal/socket, with the fields etcd's journal
 * writer sends: MESSAGE (the entry as zap's JSON line), PRIORITY (syslog severity of its level),
 * PACKAGE (the caller's package, as in zap's caller) and SYSLOG_IDENTIFIER ("etcd"). An entry
 * journald does not take (no journal socket, or no epoll transport to send unix datagrams with)
 * is written to standard error instead, as etcd's writer falls back.
 *
 * <p>A datagram cannot be larger than the sending socket's buffer (EMSGSIZE). The socket asks
 * for 8 MiB, as systemd's own client does (the kernel caps it at net.core.wmem_max). An entry
 * still too large for that, say one logging a huge request, is sent with its MESSAGE cut to fit
 * and marked so ({@link TruncatedMessage}). systemd's client would instead pass such an entry
 * as a file descriptor (SCM_RIGHTS on an empty datagram); Java has no way to send one over a
 * unix datagram socket, and Netty's {@code LinuxSocket.sendFd} adds a one-byte payload that
 * journald refuses, so the entry is truncated rather than lost.
 */
public final class JournaldAppender extends AppenderBase<ILoggingEvent> {
    /** journald's socket for native-protocol clients. */
    public static final String JOURNAL_SOCKET = "/run/systemd/journal/socket";

    private static final long SEND_TIMEOUT_MILLIS = 1000;

    /** The send buffer asked for: systemd's client asks for the same. */
    static final int SEND_BUFFER_BYTES = 8 * 1024 * 1024;

    /** Room left beside the fields' bytes for MESSAGE's framing (a length-prefixed value takes 9 more). */
    private static final int FRAMING_SLACK_BYTES = 16;

    private final String socketPath;
    private final PrintStream fallback;
    private final int sendBufferBytes;
    private final ZapLayout layout = new ZapLayout(false);
    /** The largest datagram the connected socket sends: half its buffer as the kernel reports it (doubled). */
    private int maxDatagramBytes;
    private EventLoopGroup group;
    /** Connected to the journal socket; null when it could not be connected. */
    private Channel channel;

    public JournaldAppender(String socketPath, PrintStream fallback) {
        this(socketPath, fallback, SEND_BUFFER_BYTES);
    }

    /** With a send buffer of {@code sendBufferBytes} (tests ask for a small one). */
    JournaldAppender(String socketPath, PrintStream fallback, int sendBufferBytes) {
        this.socketPath = socketPath;
        this.fallback = fallback;
        this.sendBufferBytes = sendBufferBytes;
    }

    @Override
    public void start() {
        layout.setContext(getContext());
        layout.start();
        if (Epoll.isAvailable()) {
            group = new EpollEventLoopGroup(1);
            try {
                channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                        .option(ChannelOption.SO_SNDBUF, sendBufferBytes)
                        .handler(new ChannelInboundHandlerAdapter())
                        .connect(new DomainSocketAddress(socketPath)).sync().channel();
                // Linux reports twice what it grants; half of the report is what a datagram may carry
                maxDatagramBytes = channel.config().getOption(ChannelOption.SO_SNDBUF) / 2;
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
        byte[] datagram = datagram(event, message);
        if (datagram.length > maxDatagramBytes) {
            int others = datagram.length - message.getBytes(StandardCharsets.UTF_8).length;
            datagram = datagram(event, TruncatedMessage.fit(message, maxDatagramBytes - others - FRAMING_SLACK_BYTES));
        }
        ChannelFuture write = ch.writeAndFlush(Unpooled.wrappedBuffer(datagram));
        return write.awaitUninterruptibly(SEND_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS) && write.isSuccess();
    }

    private static byte[] datagram(ILoggingEvent event, String message) {
        String caller = ZapLayout.caller(event);
        int slash = caller.lastIndexOf('/');
        return JournalFields.encode(List.of(
                Map.entry("MESSAGE", message),
                Map.entry("PRIORITY", Integer.toString(priority(event.getLevel()))),
                Map.entry("PACKAGE", slash < 0 ? "." : caller.substring(0, slash)),
                Map.entry("SYSLOG_IDENTIFIER", "etcd")));
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
