package io.etcdj.server.transport;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The gRPC server(s) on --listen-peer-urls serving {@link PeerService}. */
public final class PeerServer implements AutoCloseable {
    private final List<String> listenUrls;
    private final PeerService service;
    private final List<Server> servers = new ArrayList<>();
    private final io.etcdj.server.tls.TlsMaterial tls;

    /** @param tls what https URLs serve with (null: no peer TLS configured) */
    public PeerServer(List<String> listenUrls, PeerService service, io.etcdj.server.tls.TlsMaterial tls) {
        this.tls = tls;
        this.listenUrls = List.copyOf(listenUrls);
        this.service = service;
    }

    public void start() throws IOException {
        for (String url : listenUrls) {
            // Incoming messages are only queued on the raft loop: no executor hand-off is needed.
            NettyServerBuilder b = (url.startsWith("https://")
                    ? NettyServerBuilder.forAddress(PeerUrl.address(url),
                            io.etcdj.server.tls.PeerTlsNegotiator.credentials(sslContext(url)))
                    : NettyServerBuilder.forAddress(PeerUrl.address(url))).directExecutor();
            Server s = b.maxInboundMessageSize(PeerMethods.MAX_MESSAGE_BYTES)
                    .addService(service.definition())
                    .build()
                    .start();
            servers.add(s);
        }
    }

    private io.grpc.netty.shaded.io.netty.handler.ssl.SslContext sslContext(String url) throws IOException {
        if (tls == null) {
            throw new IOException("TLS key/cert (--peer-cert-file, --peer-key-file) must be provided for peer url "
                    + url + " with HTTPS scheme");
        }
        var b = io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.configure(
                io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder.forServer(tls.keyManager()));
        b.trustManager(tls.trustManager());
        b.clientAuth(switch (tls.clientAuth()) {
            case REQUIRE -> io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.REQUIRE;
            case NONE -> io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth.NONE;
        });
        b.protocols(tls.protocols());
        if (tls.cipherSuites() != null) {
            b.ciphers(tls.cipherSuites(), io.grpc.netty.shaded.io.netty.handler.ssl.SupportedCipherSuiteFilter.INSTANCE);
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
