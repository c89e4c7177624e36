package io.etcdj.server.bootstrap;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.AuthenticateRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.proxy.ProxyProcess;
import io.etcdj.server.tls.PemFiles;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The v3 requests v3 discovery makes against the etcd cluster holding the registry: get a key,
 * list a prefix, put a key, watch a prefix. One gRPC channel per --discovery-endpoints entry; a
 * request goes to the endpoint last answering and moves on to the next one when it fails, so one
 * member down costs no retry.
 *
 * <p>Failures: {@link IOException} when no endpoint answered the request (the protocol retries
 * those, as etcd's does every client error), {@link DiscoveryException} when authenticating was
 * refused (etcd's client then fails at once).
 */
final class RegistryClient implements AutoCloseable {
    /** One key as the registry holds it. */
    record Entry(String key, String value, long createRevision) {}

    /** The keys under a prefix and the store revision they were read at. */
    record Listing(List<Entry> entries, long revision) {}

    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    private static final String INVALID_TOKEN = "etcdserver: invalid auth token";

    private final V3DiscoveryConfig config;
    private final List<ManagedChannel> channels = new ArrayList<>();
    /** Index of the endpoint that answered last; requests start there. */
    private int current;
    /** The auth token sent with every request, or "" (no user, or to be fetched again). */
    private String authToken = "";

    RegistryClient(V3DiscoveryConfig config) throws IOException {
        this.config = config;
        SslContext ssl = config.secure() ? sslContext(config) : null;
        for (String endpoint : config.endpoints()) {
            URI u = URI.create("tcp://" + ProxyProcess.stripScheme(endpoint.trim()));
            NettyChannelBuilder b = NettyChannelBuilder.forAddress(u.getHost().replace("[", "").replace("]", ""),
                            u.getPort() < 0 ? 2379 : u.getPort())
                    .maxInboundMessageSize(Integer.MAX_VALUE)
                    .keepAliveTime(config.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS) // gRPC raises it to 10s
                    .keepAliveTimeout(config.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                    .keepAliveWithoutCalls(false);
            if (!config.dialTimeout().isZero()) {
                b.withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.dialTimeout().toMillis()));
            }
            channels.add(ssl == null ? b.usePlaintext().build() : b.sslContext(ssl).build());
        }
    }

    private static SslContext sslContext(V3DiscoveryConfig config) throws IOException {
        SslContextBuilder ssl = GrpcSslContexts.forClient();
        if (config.insecureSkipVerify()) {
            ssl.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (!config.cacert().isEmpty()) {
            ssl.trustManager(PemFiles.certificates(Path.of(config.cacert())).toArray(new X509Certificate[0]));
        }
        if (!config.cert().isEmpty()) {
            ssl.keyManager(PemFiles.privateKey(Path.of(config.key())),
                    PemFiles.certificates(Path.of(config.cert())).toArray(new X509Certificate[0]));
        }
        return ssl.build();
    }

    /**
     * Authenticates when a user and password are configured (as etcd's client does at start,
     * bounded by the dial timeout); a refusal is final.
     */
    void authenticate() throws DiscoveryException {
        if (config.user().isEmpty() || config.password().isEmpty()) {
            return;
        }
        AuthenticateRequest req = AuthenticateRequest.newBuilder().setName(config.user())
                .setPassword(config.password()).build();
        try {
            authToken = onAnyEndpoint(ch -> bounded(AuthGrpc.newBlockingStub(ch), config.dialTimeout())
                    .authenticate(req).getToken(), false);
        } catch (StatusRuntimeException e) {
            throw DiscoveryException.other(describe(e));
        }
    }

    /** The value of {@code key}, or empty when it does not exist. */
    Optional<String> get(String key) throws IOException {
        RangeResponse r = request(ch -> stub(KVGrpc.newBlockingStub(ch)).range(
                RangeRequest.newBuilder().setKey(utf8(key)).build()));
        return r.getKvsCount() == 0 ? Optional.empty() : Optional.of(r.getKvs(0).getValue().toStringUtf8());
    }

    /** Every key starting with {@code prefix}, in key order, and the revision of the read. */
    Listing list(String prefix) throws IOException {
        RangeResponse r = request(ch -> stub(KVGrpc.newBlockingStub(ch)).range(RangeRequest.newBuilder()
                .setKey(utf8(prefix)).setRangeEnd(prefixEnd(prefix)).build()));
        List<Entry> out = new ArrayList<>();
        for (KeyValue kv : r.getKvsList()) {
            out.add(new Entry(kv.getKey().toStringUtf8(), kv.getValue().toStringUtf8(), kv.getCreateRevision()));
        }
        return new Listing(out, r.getHeader().getRevision());
    }

    void put(String key, String value) throws IOException {
        request(ch -> stub(KVGrpc.newBlockingStub(ch)).put(PutRequest.newBuilder().setKey(utf8(key))
                .setValue(utf8(value)).build()));
    }

    /** Starts watching every key under {@code prefix} from {@code fromRevision} on. */
    PrefixWatch watch(String prefix, long fromRevision) throws IOException {
        refreshTokenIfNeeded();
        ManagedChannel ch = channels.get(current);
        current = (current + 1) % channels.size(); // the next watch (after a failure) tries the next endpoint
        PrefixWatch w = new PrefixWatch();
        WatchGrpc.WatchStub stub = WatchGrpc.newStub(ch);
        if (!authToken.isEmpty()) {
            stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(tokenHeader()));
        }
        stub.watch(w).onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
                .setKey(utf8(prefix)).setRangeEnd(prefixEnd(prefix)).setStartRevision(fromRevision)).build());
        return w;
    }

    /**
     * A running watch: {@link #next} hands out its responses in order. The stream ends (with an
     * IOException from {@code next}) when the service fails or cancels the watch.
     */
    static final class PrefixWatch implements ClientResponseObserver<WatchRequest, WatchResponse>, AutoCloseable {
        /** A response, or the Status the stream ended with. */
        private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
        private volatile ClientCallStreamObserver<WatchRequest> call;

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
            this.call = requestStream;
        }

        @Override
        public void onNext(WatchResponse value) {
            arrived.add(value);
        }

        @Override
        public void onError(Throwable t) {
            arrived.add(Status.fromThrowable(t));
        }

        @Override
        public void onCompleted() {
            arrived.add(Status.UNAVAILABLE.withDescription("watch stream closed by the service"));
        }

        /** The next response carrying events; blocks until one comes (no bound: peers may take long). */
        WatchResponse next() throws IOException {
            while (true) {
                Object o;
                try {
                    o = arrived.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while watching the discovery service", e);
                }
                if (o instanceof Status s) {
                    throw new IOException("watch failed: " + s.getCode() + ": " + s.getDescription());
                }
                WatchResponse r = (WatchResponse) o;
                if (r.getCanceled()) {
                    throw new IOException(r.getCompactRevision() > 0
                            ? "watch canceled: revision compacted at " + r.getCompactRevision()
                            : "watch canceled: " + r.getCancelReason());
                }
                if (r.getEventsCount() > 0) {
                    return r;
                }
            }
        }

        @Override
        public void close() {
            ClientCallStreamObserver<WatchRequest> c = call;
            if (c != null) {
                c.cancel("discovery done", null);
            }
        }
    }

    /** Runs a unary request with the request timeout, on each endpoint in turn until one answers. */
    private <T> T request(Function<ManagedChannel, T> body) throws IOException {
        refreshTokenIfNeeded();
        try {
            return onAnyEndpoint(body, true);
        } catch (StatusRuntimeException e) {
            if (describe(e).contains(INVALID_TOKEN)) {
                authToken = ""; // fetched again before the retry
            }
            throw new IOException(describe(e), e);
        }
    }

    private <T> T onAnyEndpoint(Function<ManagedChannel, T> body, boolean moveOn) {
        StatusRuntimeException last = null;
        for (int i = 0; i < channels.size(); i++) {
            int at = (current + i) % channels.size();
            try {
                T result = body.apply(channels.get(at));
                current = at;
                return result;
            } catch (StatusRuntimeException e) {
                last = e;
                if (!moveOn && e.getStatus().getCode() != Status.Code.UNAVAILABLE
                        && e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
                    throw e; // an answer, not an unreachable endpoint
                }
            }
        }
        throw last;
    }

    private void refreshTokenIfNeeded() throws IOException {
        if (authToken.isEmpty() && !config.user().isEmpty() && !config.password().isEmpty()) {
            try {
                authenticate();
            } catch (DiscoveryException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    private <S extends AbstractStub<S>> S stub(S stub) {
        S s = bounded(stub, config.requestTimeout());
        return authToken.isEmpty() ? s : s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(tokenHeader()));
    }

    private static <S extends AbstractStub<S>> S bounded(S stub, Duration timeout) {
        return timeout.isZero() ? stub : stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private Metadata tokenHeader() {
        Metadata md = new Metadata();
        md.put(TOKEN, authToken);
        return md;
    }

    /** etcd's client error text: the status description, or the code when there is none. */
    private static String describe(StatusRuntimeException e) {
        String d = e.getStatus().getDescription();
        return d == null || d.isEmpty() ? e.getStatus().getCode().toString() : d;
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    /** The end of the range holding every key that starts with {@code prefix} (etcd's GetPrefixRangeEnd). */
    static ByteString prefixEnd(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteString.copyFrom(end, 0, i + 1);
            }
        }
        return ByteString.copyFrom(new byte[] {0}); // every byte 0xff: to the end of the key space
    }

    @Override
    public void close() {
        for (ManagedChannel ch : channels) {
            ch.shutdownNow();
        }
    }
}
