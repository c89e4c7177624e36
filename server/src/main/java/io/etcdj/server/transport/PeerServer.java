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

    public PeerServer(List<String> listenUrls, PeerService service) {
        this.listenUrls = List.copyOf(listenUrls);
        this.service = service;
    }

    public void start() throws IOException {
        for (String url : listenUrls) {
            Server s = NettyServerBuilder.forAddress(PeerUrl.address(url))
                    .maxInboundMessageSize(PeerMethods.MAX_MESSAGE_BYTES)
                    .addService(service.definition())
                    .build()
                    .start();
            servers.add(s);
        }
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
