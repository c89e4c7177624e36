package io.etcdj.server.transport;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server(s) on --listen-peer-urls: gRPC serving {@link PeerService} and, on the same port, the
 * HTTP/1.1 requests etcd's peer port answers ({@link PeerHttpRoutes}) and our raft streams
 * ({@link RaftStreamReceiver}); each connection's first bytes (after TLS) say which it is
 * ({@link PeerProtocolSniffer}).
 */
public final class PeerServer implements AutoCloseable {
    private final List<String> listenUrls;
    private final PeerService service;
    private final List<Server> servers = new ArrayList<>();
    private final io.etcdj.server.tls.TlsMaterial tls;
    private final PeerHttpRoutes http;

    /**
     * @param tls what https URLs serve with (null: no peer TLS configured)
     * @param http what answers HTTP/1.1 requests
     */
    public PeerServer(List<String> listenUrls, PeerService service, io.etcdj.server.tls.TlsMaterial tls,
                      PeerHttpRoutes http) {
        this.tls = tls;
        this.http = http;
        this.listenUrls = List.copyOf(listenUrls);
        this.service = service;
    }

    public void start() throws IOException {
        for (String url : listenUrls) {
            // Incoming messages are only queued on the raft loop: no executor hand-off is needed.
            java.util.function.Supplier<io.netty.channel.ChannelHandler> sniffer =
                    () -> new PeerProtocolSniffer(() -> PeerHttpHandler.pipeline(http),
                            () -> RaftStreamReceiver.pipeline(service::acceptBatch));
            NettyServerBuilder b = NettyServerBuilder.forAddress(PeerUrl.address(url), url.startsWith("https://")
                    ? io.etcdj.server.tls.PeerTlsNegotiator.credentials(sslContext(url), tls.revocationList(), sniffer)
                    : PeerPlaintextNegotiator.credentials(sniffer)).directExecutor();
            // a raft stream is never an HTTP/2 handshake: the sniffer bounds undecided connections instead
            Server s = b.maxInboundMessageSize(PeerMethods.MAX_MESSAGE_BYTES)
                    .handshakeTimeout(Long.MAX_VALUE, TimeUnit.MILLISECONDS)
                    .addService(service.definition())
                    .build()
                    .start();
            servers.add(s);
        }
    }

    private io.netty.handler.ssl.SslContext sslContext(String url) throws IOException {
        if (tls == null) {
            throw new IOException("TLS key/cert (--peer-cert-file, --peer-key-file) must be provided for peer url "
                    + url + " with HTTPS scheme");
        }
        var b = io.grpc.netty.GrpcSslContexts.configure(
                io.netty.handler.ssl.SslContextBuilder.forServer(tls.keyManager()));
        // ALPN: a client offering both (curl) is answered in HTTP/1.1, gRPC clients offer h2 only
        b.applicationProtocolConfig(new io.netty.handler.ssl.ApplicationProtocolConfig(
                io.netty.handler.ssl.ApplicationProtocolConfig.Protocol.ALPN,
                io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                "http/1.1", "h2"));
        b.trustManager(tls.trustManager());
        b.clientAuth(switch (tls.clientAuth()) {
            case REQUIRE -> io.netty.handler.ssl.ClientAuth.REQUIRE;
            case NONE -> io.netty.handler.ssl.ClientAuth.NONE;
        });
        b.protocols(tls.protocols());
        if (tls.cipherSuites() != null) {
            b.ciphers(tls.cipherSuites(), io.netty.handler.ssl.SupportedCipherSuiteFilter.INSTANCE);
        }
        return b.build();
    }

    @Override
    public void close() {
        for (Server s : servers) {
            s.shutdownNow();
        }
        for (Server s : servers) {
            try {
                s.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
