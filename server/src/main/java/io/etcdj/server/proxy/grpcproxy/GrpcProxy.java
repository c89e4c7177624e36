package io.etcdj.server.proxy.grpcproxy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.v3electionpb.ElectionGrpc;
import io.etcdj.api.v3lockpb.LockGrpc;
import io.etcdj.server.clientport.ClientPortNegotiator;
import io.etcdj.server.clientport.Http1Pipeline;
import io.etcdj.server.grpcgo.DeadlineAnswers;
import io.etcdj.server.grpcgo.GoGrpcRefusals;
import io.etcdj.server.proxy.grpcproxy.leasing.LeasingKv;
import io.etcdj.server.tls.TlsMaterial;
import io.etcdj.server.v2.http.NettyV2HttpServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.ChannelHandlerContext;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * etcd's gRPC proxy: serves the v3 API (KV, Watch, Lease, Cluster, Maintenance, Auth, Lock,
 * Election) on one port by calling the cluster through one round-robin {@link UpstreamChannel}.
 * KV goes through {@link KvProxy} (namespace, cache, and with a leasing prefix the
 * {@link LeasingKv}), Watch through {@link WatchProxy}
 * (coalesced), lease keep-alives through {@link KeepAliveCoalescer}; everything else is forwarded
 * as it is ({@link ForwardingCall}), keys rewritten by the namespace where a method has any.
 * HTTP/1 on the same port answers /health, /proxy/health and /metrics.
 *
 * <p>Constructing it starts nothing; {@link #start} binds and serves, {@link #close} stops all.
 */
public final class GrpcProxy implements AutoCloseable {
    private static final int MAX_HTTP_BODY = 1 << 20;
    private static final int CACHE_ENTRIES = 2048;

    private final ManagedChannel upstream;
    private final List<ManagedChannel> perEndpoint;
    private final RevisionOrdering ordering;
    private final KeyNamespace namespace;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "grpc-proxy-timer");
        t.setDaemon(true);
        return t;
    });
    private final WatchBroadcasts broadcasts;
    private final LeasingKv leasing;
    private final RangeCache cache = new RangeCache(CACHE_ENTRIES);
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final NettyV2HttpServer http;
    private final NettyV2HttpServer metricsHttp;
    private Server server;
    private ProxyRegistration registration;

    /**
     * @param memberMetricsUrls where the members' own /metrics are read for the proxy's /metrics
     */
    GrpcProxy(ManagedChannel upstream, String namespace, List<String> memberMetricsUrls) {
        this(upstream, List.of(), namespace, memberMetricsUrls);
    }

    /**
     * @param perEndpoint one channel per member, for {@code --experimental-serializable-ordering}
     *                    (empty: ordering off)
     */
    GrpcProxy(ManagedChannel upstream, List<ManagedChannel> perEndpoint, String namespace,
              List<String> memberMetricsUrls) {
        this(upstream, perEndpoint, namespace, memberMetricsUrls, "");
    }

    /** @param leasingPrefix --experimental-leasing-prefix (empty: no leasing KV) */
    GrpcProxy(ManagedChannel upstream, List<ManagedChannel> perEndpoint, String namespace,
              List<String> memberMetricsUrls, String leasingPrefix) {
        this.upstream = upstream;
        this.perEndpoint = List.copyOf(perEndpoint);
        this.ordering = perEndpoint.isEmpty() ? RevisionOrdering.off()
                : RevisionOrdering.over(perEndpoint.stream().map(KVGrpc::newStub).toList());
        this.namespace = new KeyNamespace(namespace);
        this.leasing = leasingPrefix.isEmpty() ? null : LeasingKv.over(
                new LeasingUpstreamChannel(upstream, this.namespace), leasingPrefix, Clock.systemUTC());
        this.broadcasts = new WatchBroadcasts(WatchGrpc.newStub(upstream), timer);
        registerMetrics();
        ProxyHttpEndpoints endpoints = new ProxyHttpEndpoints(KVGrpc.newBlockingStub(upstream), registry, memberMetricsUrls);
        this.http = new NettyV2HttpServer(endpoints);
        this.metricsHttp = new NettyV2HttpServer(endpoints);
    }

    /** A proxy to {@code endpoints} ("host:port" or URLs), with etcd's default upstream options. */
    public static GrpcProxy to(List<String> endpoints, UpstreamTls tls, String namespace) throws IOException {
        return to(endpoints, tls, namespace, UpstreamOptions.DEFAULT);
    }

    /** A proxy to {@code endpoints} ("host:port" or URLs). */
    public static GrpcProxy to(List<String> endpoints, UpstreamTls tls, String namespace, UpstreamOptions options)
            throws IOException {
        UpstreamMessageLimits limits = new UpstreamMessageLimits(options.maxSendBytes(), options.maxRecvBytes());
        ManagedChannel ch = UpstreamChannel.open(endpoints, tls, limits);
        List<ManagedChannel> perEndpoint = new ArrayList<>();
        if (options.serializableOrdering()) {
            for (String e : endpoints) {
                perEndpoint.add(UpstreamChannel.open(List.of(e), tls, limits));
            }
        }
        List<String> metrics = endpoints.stream()
                .map(e -> (e.contains("://") ? e : "http://" + e) + "/metrics").toList();
        return new GrpcProxy(ch, perEndpoint, namespace, metrics, options.leasingPrefix());
    }

    /**
     * How the proxy calls the cluster: --max-send-bytes and --max-recv-bytes bound each message
     * sent to and received from a member (see {@link UpstreamMessageLimits});
     * --experimental-serializable-ordering keeps read revisions from going back (see
     * {@link RevisionOrdering}); --experimental-leasing-prefix turns the {@link LeasingKv} on.
     */
    public record UpstreamOptions(long maxSendBytes, long maxRecvBytes, boolean serializableOrdering,
                                  String leasingPrefix) {
        public static final UpstreamOptions DEFAULT = new UpstreamOptions(1572864, Integer.MAX_VALUE, false);

        public UpstreamOptions(long maxSendBytes, long maxRecvBytes, boolean serializableOrdering) {
            this(maxSendBytes, maxRecvBytes, serializableOrdering, "");
        }

        public UpstreamOptions withLeasingPrefix(String prefix) {
            return new UpstreamOptions(maxSendBytes, maxRecvBytes, serializableOrdering, prefix);
        }
    }

    /**
     * With a leasing prefix, waits until the leasing session is established (etcd's proxy waits
     * for it before serving); returns its lease.
     *
     * @throws io.grpc.StatusRuntimeException UNAVAILABLE when there was none within {@code timeout}
     */
    public long awaitLeasingSession(Duration timeout) {
        if (leasing == null) {
            return 0;
        }
        return leasing.awaitSession(timeout);
    }

    /**
     * With serializable ordering on, what etcd's proxy does before it serves: one linearizable
     * read, so that the floor starts at the cluster's current revision and the first serializable
     * answer cannot come from a member that is behind.
     *
     * @throws io.grpc.StatusRuntimeException when the cluster did not answer within {@code timeout}
     *         (the floor then stays where it is)
     */
    public void recoverOrdering(Duration timeout) {
        if (!ordering.enabled()) {
            return;
        }
        RangeResponse r = KVGrpc.newBlockingStub(upstream)
                .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .range(RangeRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8("_")).setKeysOnly(true).build());
        ordering.answered(r.getHeader().getRevision());
    }

    /** The upstream TLS flags: --cert, --key, --cacert, --insecure-skip-tls-verify. */
    public record UpstreamTls(String cert, String key, String cacert, boolean skipVerify) {
        public static final UpstreamTls NONE = new UpstreamTls("", "", "", false);
    }

    private void registerMetrics() {
        GaugeWithCallback.builder().name("etcd_grpc_proxy_watchers_coalescing_total")
                .help("Total number of current watchers coalescing")
                .callback(cb -> cb.call(broadcasts.watchersCoalescing())).register(registry);
        CounterWithCallback.builder().name("etcd_grpc_proxy_events_coalescing")
                .help("Total number of events coalescing")
                .callback(cb -> cb.call(broadcasts.eventsCoalescingTotal())).register(registry);
        GaugeWithCallback.builder().name("etcd_grpc_proxy_cache_keys_total").help("Total number of keys/ranges cached")
                .callback(cb -> cb.call(cache.size())).register(registry);
        GaugeWithCallback.builder().name("etcd_grpc_proxy_cache_hits_total").help("Total number of cache hits")
                .callback(cb -> cb.call(cache.hits())).register(registry);
        GaugeWithCallback.builder().name("etcd_grpc_proxy_cache_misses_total").help("Total number of cache misses")
                .callback(cb -> cb.call(cache.misses())).register(registry);
    }

    /** The service definitions the proxy serves, each behind the {@link ClientHeaders} interceptor. */
    List<ServerServiceDefinition> services() {
        NamespaceRewrites rewrites = new NamespaceRewrites(namespace);
        KeepAliveCoalescer keepAlives = new KeepAliveCoalescer(LeaseGrpc.newStub(upstream), timer);
        Function<ServiceDescriptor, ServerServiceDefinition> plain =
                sd -> ForwardedServices.forward(sd, upstream, rewrites, Map.of());
        List<ServerServiceDefinition> defs = List.of(
                new KvProxy(KVGrpc.newStub(upstream), namespace, cache, ordering, leasing).bindService(),
                new WatchProxy(broadcasts, namespace).bindService(),
                ForwardedServices.forward(LeaseGrpc.getServiceDescriptor(), upstream, rewrites,
                        Map.of(LeaseGrpc.getLeaseKeepAliveMethod().getFullMethodName(), KeepAliveProxy.handler(keepAlives))),
                plain.apply(ClusterGrpc.getServiceDescriptor()),
                plain.apply(MaintenanceGrpc.getServiceDescriptor()),
                plain.apply(AuthGrpc.getServiceDescriptor()),
                plain.apply(LockGrpc.getServiceDescriptor()),
                plain.apply(ElectionGrpc.getServiceDescriptor()));
        ClientHeaders headers = new ClientHeaders();
        return defs.stream().map(d -> ServerInterceptors.intercept(d, headers)).toList();
    }

    /** Binds {@code address} (plaintext, or TLS with {@code tls}) and serves, with etcd's default limits. */
    public void start(InetSocketAddress address, ListenerTls tls) throws IOException {
        start(address, tls, Limits.DEFAULT);
    }

    /** --max-concurrent-streams (per client connection). */
    public record Limits(int maxConcurrentStreams) {
        public static final Limits DEFAULT = new Limits(Integer.MAX_VALUE);
    }

    /**
     * The largest request the proxy's own server takes: Go gRPC's server default, which etcd's
     * proxy keeps (its --max-*-bytes flags bound the upstream side instead); larger ones, and what
     * else grpc-go's server refuses, are refused with grpc-go's texts ({@link GoGrpcRefusals}).
     */
    static final int SERVER_MAX_RECV_BYTES = 4 << 20;

    public void start(InetSocketAddress address, ListenerTls tls, Limits limits) throws IOException {
        ServerCredentials credentials = tls == null ? ClientPortNegotiator.plaintext(this::installHttp1)
                : ClientPortNegotiator.tls(this::installHttp1, tls.material());
        NettyServerBuilder b = NettyServerBuilder.forAddress(address, credentials)
                .maxConcurrentCallsPerConnection(limits.maxConcurrentStreams());
        GoGrpcRefusals.serve(b, services(), SERVER_MAX_RECV_BYTES, DeadlineAnswers.PROXY);
        server = b.build().start();
        if (leasing != null) {
            leasing.begin();
        }
    }

    /** --metrics-addr: /metrics (and the health endpoints) also on a plain HTTP listener; returns its port. */
    public int serveMetricsOn(String host, int port) throws IOException {
        try {
            return metricsHttp.start(host, port);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted binding " + host + ":" + port, e);
        }
    }

    /** The proxy's own listener TLS (--cert-file, --key-file, --trusted-ca-file, --auto-tls). */
    public record ListenerTls(TlsMaterial material) {}

    /** Registers this proxy under {@code prefix} (see {@link ProxyRegistration}). */
    public void register(String prefix, String advertisedAddress, long ttlSeconds, String hostName) {
        registration = new ProxyRegistration(upstream, timer);
        registration.register(prefix, advertisedAddress, ttlSeconds, hostName);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenSockets().get(0);
    }

    private void installHttp1(ChannelHandlerContext sniffer) {
        Http1Pipeline.install(sniffer, MAX_HTTP_BODY, http::serve);
    }

    @Override
    public void close() {
        if (registration != null) {
            registration.close();
        }
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (leasing != null) {
            leasing.close();
        }
        http.close();
        metricsHttp.close();
        timer.shutdownNow();
        upstream.shutdownNow();
        perEndpoint.forEach(ManagedChannel::shutdownNow);
    }
}
