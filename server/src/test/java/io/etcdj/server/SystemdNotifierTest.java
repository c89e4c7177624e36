package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A systemd stand-in listens on a unix datagram socket, as systemd does for a Type=notify unit. */
class SystemdNotifierTest {
    @TempDir
    Path dir;

    @Test
    void readyReachesTheNotifySocket() throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        EventLoopGroup group = new EpollEventLoopGroup(1);
        String socket = dir.resolve("notify").toString();
        try {
            Channel systemd = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
                    .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                            received.add(p.content().toString(StandardCharsets.UTF_8));
                        }
                    }).bind(new DomainSocketAddress(socket)).sync().channel();
            SystemdNotifier.send(socket, "READY=1");
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("READY=1");
            systemd.close().sync();
        } finally {
            group.shutdownGracefully(0, 100, TimeUnit.MILLISECONDS);
        }
    }
}
