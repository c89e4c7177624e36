package io.etcdj.server.transport;

import io.etcdj.server.tls.PeerTlsNegotiator;
import io.etcdj.server.tls.TlsMaterial;
import io.grpc.Server;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

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
    private final TlsMaterial tls;
    private final PeerHttpRoutes http;

    /**
     * @param tls what https URLs serve with (null: no peer TLS configured)
     * @param http what answers HTTP/1.1 requests
     */
    public PeerServer(List<String> listenUrls, PeerService service, TlsMaterial tls,
                      PeerHttpRoutes http) {
        this.tls = tls;
        this.http = http;
        this.listenUrls = List.copyOf(listenUrls);
        this.service = service;
    }

    public void start() throws IOException {
        for (String url : listenUrls) {
            // Incoming messages are only queued on the raft loop: no executor hand-off is needed.
            Supplier<ChannelHandler> sniffer =
                    () -> new PeerProtocolSniffer(() -> PeerHttpHandler.pipeline(http),
                            () -> RaftStreamReceiver.pipeline(service::acceptBatch));
            NettyServerBuilder b = NettyServerBuilder.forAddress(PeerUrl.address(url), url.startsWith("https://")
                    ? PeerTlsNegotiator.credentials(sslContext(url), tls.revocationList(), sniffer)
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

    private SslContext sslContext(String url) throws IOException {
        if (tls == null) {
            throw new IOException("TLS key/cert (--peer-cert-file, --peer-key-file) must be provided for peer url "
                    + url + " with HTTPS scheme");
        }
        var b = GrpcSslContexts.configure(
                SslContextBuilder.forServer(tls.keyManager()));
        // ALPN: a client offering both (curl) is answered in HTTP/1.1, gRPC clients offer h2 only
        b.applicationProtocolConfig(new ApplicationProtocolConfig(
                ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                "http/1.1", "h2"));
        b.trustManager(tls.trustManager());
        b.clientAuth(switch (tls.clientAuth()) {
            case REQUIRE -> ClientAuth.REQUIRE;
            case NONE -> ClientAuth.NONE;
        });
        b.protocols(tls.protocols());
        if (tls.cipherSuites() != null) {
            b.ciphers(tls.cipherSuites(), SupportedCipherSuiteFilter.INSTANCE);
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
