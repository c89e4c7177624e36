package io.etcdj.server.v3;

import io.etcdj.server.EtcdServer;
import io.etcdj.server.clientport.AccessPolicy;
import io.etcdj.server.clientport.ClientHttpEndpoints;
import io.etcdj.server.clientport.ClientPortNegotiator;
import io.etcdj.server.clientport.ClientPortTraffic;
import io.etcdj.server.clientport.CorsHeaderRewriter;
import io.etcdj.server.clientport.Http1Pipeline;
import io.etcdj.server.gateway.JsonGateway;
import io.etcdj.server.grpcgo.DeadlineAnswers;
import io.etcdj.server.grpcgo.GoGrpcRefusals;
import io.etcdj.server.tls.CertificateNames;
import io.etcdj.server.tls.TlsMaterial;
import io.etcdj.server.gateway.NettyGatewayHttpServer;
import io.etcdj.server.transport.PeerUrl;
import io.etcdj.server.v2.http.NettyV2HttpServer;
import io.etcdj.server.v2.http.V2HttpHandler;
import io.etcdj.server.v2.http.V2HttpResponse;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Everything on --listen-client-urls: one port per URL carries both gRPC (HTTP/2) and HTTP/1 —
 * the v3 JSON gateway under /v3/, and the plain endpoints (/health, /version, /metrics, v2) — as
 * etcd serves them on one port. With --listen-client-http-urls (etcd 3.5) the two are split: the
 * client URLs serve only gRPC and the HTTP URLs only HTTP/1 (see {@link ClientPortTraffic}); a URL
 * may not be in both lists. gRPC accepts messages up to --max-request-bytes plus 512 KiB of
 * overhead, as etcd does; larger proposals are refused by the server with "etcdserver: request is
 * too large". What the gRPC layer refuses (larger messages, bytes that do not decode, unknown
 * methods, compression) is refused as grpc-go refuses it ({@link GoGrpcRefusals}). The gateway
 * calls the same services through an in-process channel.
 */
public final class ClientServer implements AutoCloseable {
    private static final int GRPC_OVERHEAD_BYTES = 512 * 1024;
    private static final int MAX_HTTP_BODY = 16 * 1024 * 1024;

    private final List<String> listenUrls;
    /** --listen-client-http-urls; empty: HTTP is served on {@link #listenUrls} too. */
    private final List<String> httpListenUrls;
    private final List<BindableService> services;
    private final int maxInboundBytes;
    private final String inProcessName = "etcdj-client-" + System.identityHashCode(this) + "-" + System.nanoTime();
    private final NettyV2HttpServer plainHttp;
    private final List<Server> servers = new ArrayList<>();
    private final TlsMaterial tls;
    /** Counts every call, whether it came over the network or through the gateway. */
    private final ServerInterceptor metrics;
    private ManagedChannel gatewayChannel;
    /** Whether auth is enabled now (read by the gateway's client-certificate rule). */
    private volatile BooleanSupplier authEnabled = () -> false;
    private NettyGatewayHttpServer gateway;
    private final AccessPolicy access;
    private final GrpcKeepalive keepalive;
    private final boolean gatewayEnabled;

    /** @param httpEndpoints answers HTTP/1 requests outside /v3/ (health, version, metrics, v2) */
    /** @param tls what https URLs serve with (null: no client TLS configured) */
    public ClientServer(List<String> listenUrls, List<BindableService> services, long maxRequestBytes,
                        TlsMaterial tls, V2HttpHandler httpEndpoints, ServerInterceptor metrics) {
        this(listenUrls, services, maxRequestBytes, tls, httpEndpoints, metrics, AccessPolicy.OPEN);
    }

    public ClientServer(List<String> listenUrls, List<BindableService> services, long maxRequestBytes,
                        TlsMaterial tls, V2HttpHandler httpEndpoints, ServerInterceptor metrics,
                        AccessPolicy access) {
        this(listenUrls, services, maxRequestBytes, tls, httpEndpoints, metrics, access, GrpcKeepalive.DEFAULTS, true);
    }

    /**
     * @param access --cors and --host-whitelist, applied to every HTTP/1 request before its handler
     * @param keepalive the --grpc-keepalive-* settings of the network listeners
     * @param gatewayEnabled --enable-grpc-gateway: false leaves /v3/ paths to the plain endpoints (404)
     */
    public ClientServer(List<String> listenUrls, List<BindableService> services, long maxRequestBytes,
                        TlsMaterial tls, V2HttpHandler httpEndpoints, ServerInterceptor metrics,
                        AccessPolicy access, GrpcKeepalive keepalive, boolean gatewayEnabled) {
        this(listenUrls, services, maxRequestBytes, tls, httpEndpoints, metrics, access, keepalive, gatewayEnabled,
                List.of());
    }

    /** @param httpListenUrls --listen-client-http-urls: when not empty, the only URLs that serve HTTP/1 */
    public ClientServer(List<String> listenUrls, List<BindableService> services, long maxRequestBytes,
                        TlsMaterial tls, V2HttpHandler httpEndpoints, ServerInterceptor metrics,
                        AccessPolicy access, GrpcKeepalive keepalive, boolean gatewayEnabled,
                        List<String> httpListenUrls) {
        this.httpListenUrls = List.copyOf(httpListenUrls);
        this.gatewayEnabled = gatewayEnabled;
        this.access = access;
        this.keepalive = keepalive;
        this.tls = tls;
        this.metrics = metrics;
        this.listenUrls = List.copyOf(listenUrls);
        this.services = List.copyOf(services);
        this.maxInboundBytes = (int) Math.min(Integer.MAX_VALUE, maxRequestBytes + GRPC_OVERHEAD_BYTES);
        this.plainHttp = new NettyV2HttpServer(httpEndpoints);
    }

    /**
     * The KV, Lease, Cluster, Maintenance, Auth, Lock and Election services over {@code server},
     * each behind the {@link TokenInterceptor}.
     */
    public static List<BindableService> kvServices(EtcdServer server, long maxTxnOps) {
        Executor recipeThreads = RecipeThreads.create();
        return List.of(new KvService(server, maxTxnOps), LeaseService.withForwarding(server),
                new ClusterService(server), new MaintenanceService(server), new AuthService(server),
                new LockService(server, recipeThreads), new ElectionService(server, recipeThreads))
                .stream().map(TokenInterceptor::wrap).toList();
    }

    public void start() throws IOException {
        refuseUrlsInBothLists();
        // Handlers never block (see the threading model in io.etcdj.server), so calls run on the
        // transport's own threads: a hand-off to an executor per message cost more than most calls.
        InProcessServerBuilder inProcess = InProcessServerBuilder.forName(inProcessName)
                .directExecutor()
                .maxInboundMessageSize(maxInboundBytes);
        services.forEach(s -> inProcess.addService(ServerInterceptors.intercept(s, metrics)));
        servers.add(inProcess.build().start());
        gatewayChannel = InProcessChannelBuilder.forName(inProcessName).maxInboundMessageSize(Integer.MAX_VALUE).build();
        gateway = new NettyGatewayHttpServer(new JsonGateway(gatewayChannel, maxInboundBytes));
        ClientPortTraffic clientUrlTraffic = httpListenUrls.isEmpty()
                ? ClientPortTraffic.GRPC_AND_HTTP : ClientPortTraffic.GRPC_ONLY;
        for (String url : listenUrls) {
            NettyServerBuilder b = NettyServerBuilder.forAddress(PeerUrl.address(url), credentials(url, clientUrlTraffic))
                    .directExecutor();
            keepalive.applyTo(b);
            GoGrpcRefusals.serve(b, services.stream().map(BindableService::bindService).toList(), maxInboundBytes,
                    DeadlineAnswers.MEMBER, metrics);
            servers.add(b.build().start());
        }
        for (String url : httpListenUrls) {
            // no services: the sniffer closes every HTTP/2 connection before gRPC sees it
            servers.add(NettyServerBuilder.forAddress(PeerUrl.address(url), credentials(url, ClientPortTraffic.HTTP_ONLY))
                    .directExecutor()
                    .build().start());
        }
    }

    /**
     * etcd 3.5's refusal of a URL given to both --listen-client-urls and --listen-client-http-urls;
     * the member asks before it starts anything, {@link #start} again.
     */
    public void refuseUrlsInBothLists() throws IOException {
        Set<InetSocketAddress> grpc = new HashSet<>();
        for (String url : listenUrls) {
            grpc.add(PeerUrl.address(url));
        }
        for (String url : httpListenUrls) {
            if (grpc.contains(PeerUrl.address(url))) {
                throw new IOException("cannot bind both --listen-client-urls and --listen-client-http-urls on the same url "
                        + url);
            }
        }
    }

    private ServerCredentials credentials(String url, ClientPortTraffic traffic) throws IOException {
        if (!url.startsWith("https://")) {
            return ClientPortNegotiator.plaintext(this::installHttp1, traffic);
        }
        if (tls == null) {
            throw new IOException("TLS key/cert (--cert-file, --key-file) must be provided for client url " + url
                    + " with HTTPS scheme");
        }
        return ClientPortNegotiator.tls(this::installHttp1, tls, traffic);
    }

    /** Where the gateway learns whether auth is enabled (see {@link #gatewayRefusesCertificateName}). */
    public void authEnabled(BooleanSupplier enabled) {
        this.authEnabled = enabled;
    }

    /**
     * etcd 3.4: with --client-cert-auth and auth enabled, the gateway does not serve a client
     * whose certificate has a CN (its calls would carry the member's own certificate, not the
     * client's, so the CN cannot name the user); it answers 400 instead, token or not.
     */
    private boolean gatewayRefusesCertificateName(ChannelHandlerContext ctx) {
        if (tls == null || tls.clientAuth() != TlsMaterial.ClientAuth.REQUIRE || !authEnabled.getAsBoolean()) {
            return false;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        String cn = ssl == null ? null : CertificateNames.peerCommonName(ssl.engine().getSession());
        return cn != null && !cn.isEmpty();
    }

    /** The HTTP/1 pipeline of one connection, right after the protocol sniffer. */
    private void installHttp1(ChannelHandlerContext sniffer) {
        ChannelHandler cors = access.admitsEveryOrigin() ? null : new CorsHeaderRewriter(access);
        Http1Pipeline.install(sniffer, MAX_HTTP_BODY, cors, (ctx, req) -> {
            String path = new QueryStringDecoder(req.uri()).path();
            V2HttpResponse refusal = access.answerBeforeHandlers(req.method().name(), req.headers().get("Host"),
                    ctx.pipeline().get(SslHandler.class) != null);
            if (refusal != null) {
                plainHttp.answer(ctx, req, refusal);
            } else if (gatewayEnabled && path.equals("/v3")) {
                plainHttp.answer(ctx, req, ClientHttpEndpoints.subtreeRedirect(
                        req.method().name(), "/v3/", new QueryStringDecoder(req.uri()).rawQuery()));
            } else if (gatewayEnabled && JsonGateway.handles(path) && ClientHttpEndpoints.isClean(path)) {
                if (gatewayRefusesCertificateName(ctx)) {
                    gateway.refuse(ctx, req, 400,
                            "CommonName of client sending a request against gateway will be ignored and not used as expected");
                    return;
                }
                gateway.serve(ctx, req);
            } else {
                plainHttp.serve(ctx, req);
            }
        });
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
        if (gatewayChannel != null) {
            gatewayChannel.shutdownNow();
        }
        plainHttp.close();
    }
}
