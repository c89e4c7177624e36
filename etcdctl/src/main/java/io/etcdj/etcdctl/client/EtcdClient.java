package io.etcdj.etcdctl.client;

import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.AuthenticateRequest;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.net.ssl.TrustManagerFactory;

/**
 * A connection to the cluster the way clientv3 (3.4) behaves for etcdctl: one channel balancing
 * round-robin over all endpoints, calls that wait for a ready connection until their deadline,
 * an auth token from --user attached to every call, and a zap-style warning on stderr for every
 * failed unary call (clientv3's retry interceptor logs those).
 */
public final class EtcdClient implements AutoCloseable {
    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

    private final ClientConfig config;
    private final PrintStream err;
    private final ManagedChannel channel;
    private final Channel intercepted;
    private final String target;
    private volatile String token;

    /** {@code target}: the name clientv3's warnings give the connection, null for the balancer's. */
    private EtcdClient(ClientConfig config, PrintStream err, String target) {
        this.config = config;
        this.err = err;
        List<Endpoint> eps = new ArrayList<>();
        for (String e : config.endpoints()) {
            eps.add(Endpoint.parse(e));
        }
        List<InetSocketAddress> addrs = new ArrayList<>();
        for (Endpoint e : eps) {
            addrs.add(e.address());
        }
        this.target = target != null ? target : "endpoint://client-" + UUID.randomUUID() + "/" + eps.get(0).hostPort();
        NettyChannelBuilder b = NettyChannelBuilder.forTarget("etcdctl:///endpoints")
                .nameResolverFactory(EndpointNameResolver.factory(addrs))
                .defaultLoadBalancingPolicy("round_robin")
                .maxInboundMessageSize(Integer.MAX_VALUE);
        if (config.keepAliveTimeNanos() > 0) {
            // gRPC-Go takes a keepalive timeout of zero or less as its default, 20s
            long timeout = config.keepAliveTimeoutNanos() > 0 ? config.keepAliveTimeoutNanos()
                    : TimeUnit.SECONDS.toNanos(20);
            b.keepAliveTime(config.keepAliveTimeNanos(), TimeUnit.NANOSECONDS)
                    .keepAliveTimeout(timeout, TimeUnit.NANOSECONDS);
        }
        ClientTlsFiles.check(config);
        boolean secure = eps.get(0).secure() || config.cacert() != null || config.cert() != null
                || !config.insecureTransport();
        if (secure) {
            b.sslContext(sslContext(config));
            if (config.serverName() != null && !config.serverName().isEmpty()) {
                b.overrideAuthority(config.serverName());
            }
        } else {
            b.usePlaintext();
        }
        this.channel = b.build();
        this.intercepted = ClientInterceptors.intercept(channel, new TokenInterceptor());
    }

    private static SslContext sslContext(ClientConfig c) {
        try {
            SslContextBuilder sb = GrpcSslContexts.forClient();
            if (c.insecureSkipVerify()) {
                sb.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (c.cacert() != null && ClientTlsFiles.hasPemData(c.cacert())) {
                sb.trustManager(new File(c.cacert()));
            } else if (c.cacert() != null) {
                sb.trustManager(trustingNoOne());
            }
            if (c.cert() != null && c.key() != null) {
                sb.keyManager(new File(c.cert()), new File(c.key()));
            }
            return sb.build();
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static final String AUTH_NOT_ENABLED = "etcdserver: authentication is not enabled";

    /** A CA file without PEM data makes an empty pool in Go: no server certificate is trusted. */
    private static TrustManagerFactory trustingNoOne() throws GeneralSecurityException, IOException {
        KeyStore none = KeyStore.getInstance(KeyStore.getDefaultType());
        none.load(null, null);
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(none);
        return f;
    }

    /** Connects and, when a user is configured, authenticates (clientv3.New). */
    public static EtcdClient connect(ClientConfig config, PrintStream err) throws EtcdError {
        return connect(config, err, null, null);
    }

    /**
     * {@code authTarget}: the target the authentication's warning names, null for the new
     * client's own (a direct dial gets its token over the client it was dialled from).
     */
    private static EtcdClient connect(ClientConfig config, PrintStream err, String target, String authTarget)
            throws EtcdError {
        EtcdClient c = new EtcdClient(config, err, target);
        // clientv3 asks for a token only with both a user name and a password
        if (config.user() != null && config.password() != null && !config.password().isEmpty()) {
            try {
                var resp = AuthGrpc.newBlockingStub(c.channel).withWaitForReady()
                        .withDeadlineAfter(config.dialTimeoutNanos(), TimeUnit.NANOSECONDS)
                        .authenticate(AuthenticateRequest.newBuilder().setName(config.user())
                                .setPassword(config.password()).build());
                c.token = resp.getToken();
            } catch (StatusRuntimeException e) {
                EtcdError ee = EtcdError.from(e);
                c.warn(ee, authTarget != null ? authTarget : c.target);
                // clientv3 goes on without a token when the server has auth off
                if (!ee.getMessage().equals(AUTH_NOT_ENABLED)) {
                    c.close();
                    throw ee;
                }
            }
        }
        return c;
    }

    public ClientConfig config() {
        return config;
    }

    public List<String> endpoints() {
        return config.endpoints();
    }

    /** A client for one endpoint only, with the same settings (clientv3's per-endpoint maintenance dial). */
    public EtcdClient forEndpoint(String endpoint) throws EtcdError {
        // clientv3 dials the endpoint as given, past its balancer: "passthrough:///<endpoint>"
        return connect(config.withEndpoints(List.of(endpoint)), err, "passthrough:///" + endpoint, target);
    }

    public Channel channel() {
        return intercepted;
    }

    /** A stub whose calls end by the deadline; a zero or negative timeout has passed already. */
    private <S extends AbstractStub<S>> S prepare(S stub, long timeoutNanos) {
        return unbounded(stub).withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private static <S extends AbstractStub<S>> S unbounded(S stub) {
        return stub.withWaitForReady();
    }

    public KVGrpc.KVBlockingStub kv() {
        return prepare(KVGrpc.newBlockingStub(intercepted), config.commandTimeoutNanos());
    }

    public KVGrpc.KVBlockingStub kvNoTimeout() {
        return unbounded(KVGrpc.newBlockingStub(intercepted));
    }

    public LeaseGrpc.LeaseBlockingStub lease() {
        return prepare(LeaseGrpc.newBlockingStub(intercepted), config.commandTimeoutNanos());
    }

    public LeaseGrpc.LeaseBlockingStub leaseNoTimeout() {
        return unbounded(LeaseGrpc.newBlockingStub(intercepted));
    }

    public LeaseGrpc.LeaseStub leaseAsync() {
        return LeaseGrpc.newStub(intercepted).withWaitForReady();
    }

    public ClusterGrpc.ClusterBlockingStub cluster() {
        return prepare(ClusterGrpc.newBlockingStub(intercepted), config.commandTimeoutNanos());
    }

    public MaintenanceGrpc.MaintenanceBlockingStub maintenance() {
        return prepare(MaintenanceGrpc.newBlockingStub(intercepted), config.commandTimeoutNanos());
    }

    public MaintenanceGrpc.MaintenanceBlockingStub maintenance(long timeoutNanos) {
        return prepare(MaintenanceGrpc.newBlockingStub(intercepted), timeoutNanos);
    }

    public AuthGrpc.AuthBlockingStub auth() {
        return prepare(AuthGrpc.newBlockingStub(intercepted), config.commandTimeoutNanos());
    }

    public AuthGrpc.AuthBlockingStub authNoTimeout() {
        return unbounded(AuthGrpc.newBlockingStub(intercepted));
    }

    public WatchGrpc.WatchStub watch() {
        return WatchGrpc.newStub(intercepted).withWaitForReady();
    }

    /**
     * Runs one unary call; on failure prints clientv3's retry-interceptor warning and throws the
     * error etcdctl reports.
     */
    public <T> T unary(Function<EtcdClient, T> call) throws EtcdError {
        try {
            return call.apply(this);
        } catch (StatusRuntimeException e) {
            EtcdError ee = EtcdError.from(e);
            warn(ee);
            throw ee;
        }
    }

    /** The same as {@link #unary} without the warning line (streams, and calls clientv3 makes quietly). */
    public <T> T quiet(Function<EtcdClient, T> call) throws EtcdError {
        try {
            return call.apply(this);
        } catch (StatusRuntimeException e) {
            throw EtcdError.from(e);
        }
    }

    /** Prints {@code e} as clientv3's retry interceptor logs a failed call, and returns it. */
    public EtcdError warned(EtcdError e) {
        warn(e);
        return e;
    }

    private void warn(EtcdError e) {
        warn(e, target);
    }

    private void warn(EtcdError e, String shownTarget) {
        err.println(ZapLine.warn("clientv3/retry_interceptor.go:62", "retrying of unary invoker failed",
                "target", shownTarget, "attempt", 0, "error", e.rpcText()));
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class TokenInterceptor implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    String t = token;
                    if (t != null) {
                        headers.put(TOKEN, t);
                    }
                    super.start(listener, headers);
                }
            };
        }
    }
}
