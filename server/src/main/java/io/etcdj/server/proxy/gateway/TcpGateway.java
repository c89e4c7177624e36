package io.etcdj.server.proxy.gateway;

import io.etcdj.server.config.GoDuration;
import io.etcdj.server.config.StartupLog;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * etcd's gateway: a stateless layer-4 forwarder. Each accepted connection is joined to a new
 * connection to the next active endpoint ({@link GatewayEndpoints}); bytes then flow both ways
 * unchanged until either side closes. An endpoint that refuses the connection is deactivated for
 * the retry delay and the next one is tried, so a dead member costs a client nothing beyond the
 * connect attempt; a connection with no active endpoint left is closed.
 */
public final class TcpGateway implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MILLIS = 3_000;

    private final GatewayEndpoints endpoints;
    private final Duration retryDelay;
    private final StartupLog log;
    private final EventLoopGroup group = new NioEventLoopGroup(2);
    private Channel listener;

    public TcpGateway(List<String> endpoints, Duration retryDelay, StartupLog log) {
        this.endpoints = new GatewayEndpoints(endpoints, retryDelay.toNanos(), System::nanoTime);
        this.retryDelay = retryDelay;
        this.log = log;
    }

    /** Binds {@code listenAddr} ("host:port") and starts forwarding. */
    public void start(InetSocketAddress listenAddr) throws IOException {
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelActive(ChannelHandlerContext ctx) {
                                connect(ctx.channel(), endpoints.size());
                            }
                        });
                    }
                });
        try {
            listener = b.bind(listenAddr).sync().channel();
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IOException("listen tcp " + listenAddr.getHostString() + ":" + listenAddr.getPort() + ": " + e.getMessage(), e);
        }
        log.log(StartupLog.Level.INFO, "tcpproxy/userspace.go:90", "ready to proxy client requests",
                Map.of("endpoints", endpoints.all()));
    }

    /** The bound address (the port is the real one when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Joins {@code client} to the next active endpoint, trying at most {@code attempts} of them. */
    private void connect(Channel client, int attempts) {
        Optional<String> next = attempts > 0 ? endpoints.next() : Optional.empty();
        if (next.isEmpty()) {
            client.close();
            return;
        }
        String address = next.get();
        Bootstrap b = new Bootstrap().group(client.eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .handler(new Relay(client));
        b.connect(hostPort(address)).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                client.pipeline().addLast(new Relay(f.channel()));
                client.read();
            } else if (client.isActive()) {
                endpoints.deactivate(address);
                log.log(StartupLog.Level.WARN, "tcpproxy/userspace.go:66", "deactivated endpoint",
                        Map.of("address", address, "interval", GoDuration.format(retryDelay),
                                "error", String.valueOf(f.cause().getMessage())));
                connect(client, attempts - 1);
            }
        });
    }

    static InetSocketAddress hostPort(String address) {
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
