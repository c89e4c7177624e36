package io.etcdj.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * systemd's Type=notify protocol: one datagram such as "READY=1" to the unix socket named by
 * $NOTIFY_SOCKET (a leading '@' names an abstract socket). The JDK cannot send unix datagrams,
 * so this uses Netty's epoll transport (bundled with gRPC). Without $NOTIFY_SOCKET, nothing is sent.
 */
public final class SystemdNotifier {
    private SystemdNotifier() {}

    /** Sends {@code state} to $NOTIFY_SOCKET if it is set; returns whether anything was sent. */
    public static boolean notifyFromEnvironment(String state) throws IOException {
        String socket = System.getenv("NOTIFY_SOCKET");
        if (socket == null || socket.isEmpty()) {
            return false;
        }
        send(socket, state);
        return true;
    }

    public static void send(String socket, String state) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("cannot notify systemd: unix datagram sockets need Netty's epoll transport",
                    Epoll.unavailabilityCause());
        }
        String path = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
        EventLoopGroup group = new EpollEventLoopGroup(1);
        try {
            Channel ch = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new ChannelInboundHandlerAdapter()).connect(new DomainSocketAddress(path)).sync().channel();
            ch.writeAndFlush(Unpooled.copiedBuffer(state, StandardCharsets.UTF_8)).sync();
            ch.close().sync();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while notifying systemd", e);
        } catch (RuntimeException e) {
            throw new IOException("cannot notify systemd at " + socket + ": " + e.getMessage(), e);
        } finally {
            group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
        }
    }
}
