package io.etcdj.server.v3;

import io.etcdj.server.EtcdServer;
import io.etcdj.server.transport.PeerUrl;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The v3 gRPC server(s) on --listen-client-urls. Accepts messages up to --max-request-bytes plus
 * 512 KiB of gRPC overhead, as etcd does; larger proposals are refused by the server with
 * "etcdserver: request is too large".
 */
public final class ClientServer implements AutoCloseable {
    private static final int GRPC_OVERHEAD_BYTES = 512 * 1024;

    private final List<String> listenUrls;
    private final List<BindableService> services;
    private final int maxInboundBytes;
    private final List<Server> servers = new ArrayList<>();

    public ClientServer(List<String> listenUrls, List<BindableService> services, long maxRequestBytes) {
        this.listenUrls = List.copyOf(listenUrls);
        this.services = List.copyOf(services);
        this.maxInboundBytes = (int) Math.min(Integer.MAX_VALUE, maxRequestBytes + GRPC_OVERHEAD_BYTES);
    }

    /**
     * The KV, Lease, Cluster (MemberList), Maintenance (Status) and Auth services over
     * {@code server}, each behind the {@link TokenInterceptor}.
     */
    public static List<BindableService> kvServices(EtcdServer server, long maxTxnOps) {
        return List.of(new KvService(server, maxTxnOps), LeaseService.withForwarding(server),
                new ClusterService(server), new MaintenanceService(server), new AuthService(server))
                .stream().map(TokenInterceptor::wrap).toList();
    }

    public void start() throws IOException {
        for (String url : listenUrls) {
            NettyServerBuilder b = NettyServerBuilder.forAddress(PeerUrl.address(url))
                    .maxInboundMessageSize(maxInboundBytes);
            services.forEach(b::addService);
            servers.add(b.build().start());
        }
    }

    @Override
    public void close() {
        servers.forEach(Server::shutdown);
        for (Server s : servers) {
            try {
                if (!s.awaitTermination(2, TimeUnit.SECONDS)) {
                    s.shutdownNow();
                }
            } catch (InterruptedException e) {
                s.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
