package io.etcdj.benchmark.client;

import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.AuthenticateRequest;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.Console;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC connections of one benchmark run: {@code --conns} connections, each a set of channels
 * (one per endpoint) over which its requests are spread round-robin, as etcd's client balances
 * over its endpoints. Client {@code i} uses connection {@code i % conns}.
 *
 * <p>Channels run callbacks directly on the transport threads (no executor hop): every completion
 * handler given to a channel must be short and non-blocking.
 */
public final class Connections implements AutoCloseable {
    private final List<ManagedChannel> owned = new ArrayList<>();
    private final Channel[][] conns;

    private Connections(Channel[][] conns, List<ManagedChannel> owned) {
        this.conns = conns;
        this.owned.addAll(owned);
    }

    /** Opens {@code connCount} connections as the global options say (TLS, auth, leader, dial timeout). */
    public static Connections open(GlobalOptions o, int connCount) throws ConnectException {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String e : o.endpoints) {
            endpoints.add(Endpoint.parse(e));
        }
        SslContext ssl = o.usesTls() ? sslContext(o) : null;
        if (o.targetLeader) {
            endpoints = List.of(findLeader(endpoints, ssl));
        }
        List<ManagedChannel> owned = new ArrayList<>();
        Channel[][] conns = new Channel[connCount][endpoints.size()];
        try {
            for (int c = 0; c < connCount; c++) {
                for (int e = 0; e < endpoints.size(); e++) {
                    ManagedChannel ch = channel(endpoints.get(e), ssl);
                    owned.add(ch);
                    conns[c][e] = ch;
                }
            }
            if (!o.dialTimeout.isZero()) {
                awaitReady(owned, o.dialTimeout.toNanos());
            }
            if (o.user != null && !o.user.isEmpty()) {
                String token = authenticate(owned.get(0), o.user);
                TokenInterceptor interceptor = new TokenInterceptor(token);
                for (Channel[] conn : conns) {
                    for (int e = 0; e < conn.length; e++) {
                        conn[e] = ClientInterceptors.intercept(conn[e], interceptor);
                    }
                }
            }
        } catch (ConnectException | RuntimeException ex) {
            owned.forEach(ManagedChannel::shutdownNow);
            throw ex;
        }
        return new Connections(conns, owned);
    }

    /** The channels of the client with this index (connection {@code index % conns}). */
    public ClientChannels forClient(int index) {
        return new ClientChannels(conns[index % conns.length]);
    }

    public int size() {
        return conns.length;
    }

    @Override
    public void close() {
        for (ManagedChannel ch : owned) {
            ch.shutdownNow();
        }
        for (ManagedChannel ch : owned) {
            try {
                ch.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static ManagedChannel channel(Endpoint e, SslContext ssl) {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(e.host(), e.port()).directExecutor()
                .maxInboundMessageSize(Integer.MAX_VALUE);
        if (ssl == null) {
            b.usePlaintext();
        } else {
            b.sslContext(ssl);
        }
        return b.build();
    }

    private static SslContext sslContext(GlobalOptions o) throws ConnectException {
        try {
            SslContextBuilder b = GrpcSslContexts.forClient();
            if (o.insecureSkipTlsVerify) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (o.cacert != null) {
                b.trustManager(new File(o.cacert));
            }
            if (o.cert != null) {
                b.keyManager(new File(o.cert), new File(o.key));
            }
            return b.build();
        } catch (Exception | Error e) {
            throw new ConnectException("bad tls config: " + e.getMessage(), e);
        }
    }

    private static void awaitReady(List<ManagedChannel> channels, long timeoutNanos) throws ConnectException {
        long deadline = System.nanoTime() + timeoutNanos;
        for (ManagedChannel ch : channels) {
            while (true) {
                ConnectivityState s = ch.getState(true);
                if (s == ConnectivityState.READY) {
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ConnectException("dial error: context deadline exceeded", null);
                }
                CountDownLatch changed = new CountDownLatch(1);
                ch.notifyWhenStateChanged(s, changed::countDown);
                try {
                    changed.await(left, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ConnectException("dial error: interrupted", e);
                }
            }
        }
    }

    private static String authenticate(Channel ch, String user) throws ConnectException {
        String name = user;
        String password;
        int colon = user.indexOf(':');
        if (colon >= 0) {
            name = user.substring(0, colon);
            password = user.substring(colon + 1);
        } else {
            Console console = System.console();
            if (console == null) {
                throw new ConnectException("bad user information: " + user + " no terminal to read the password from", null);
            }
            char[] pw = console.readPassword("Password: ");
            password = pw == null ? "" : new String(pw);
        }
        try {
            return AuthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .authenticate(AuthenticateRequest.newBuilder().setName(name).setPassword(password).build())
                    .getToken();
        } catch (RuntimeException e) {
            throw new ConnectException("dial error: " + ErrorText.of(e), e);
        }
    }

    private static Endpoint findLeader(List<Endpoint> endpoints, SslContext ssl) throws ConnectException {
        List<String> problems = new ArrayList<>();
        for (Endpoint e : endpoints) {
            ManagedChannel ch = channel(e, ssl);
            try {
                StatusResponse s = MaintenanceGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .status(StatusRequest.getDefaultInstance());
                if (s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId()) {
                    return e;
                }
            } catch (RuntimeException ex) {
                problems.add(e + ": " + ErrorText.of(ex));
            } finally {
                ch.shutdownNow();
            }
        }
        throw new ConnectException("no leader among the endpoints" + (problems.isEmpty() ? "" : " " + problems), null);
    }

    /** Why the connections could not be opened; the message is what the tool prints before exiting 1. */
    public static final class ConnectException extends Exception {
        public ConnectException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
