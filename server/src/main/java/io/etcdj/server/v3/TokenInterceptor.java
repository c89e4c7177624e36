package io.etcdj.server.v3;

import io.etcdj.server.EtcdServer;
import io.etcdj.server.auth.Caller;
import io.etcdj.server.tls.CertificateNames;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Puts the auth token a client sends in the gRPC metadata key "token" (what clientv3 sends after
 * Authenticate), and the CN of the client certificate of a TLS connection, into the call's
 * {@link Context}, where the service handlers find them through {@link #asCaller}.
 */
public final class TokenInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> TOKEN_HEADER = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> TOKEN = Context.key("etcdj-auth-token");
    private static final Context.Key<String> COMMON_NAME = Context.key("etcdj-client-certificate-cn");

    /** The service with this interceptor in front, ready to add to a gRPC server. */
    public static BindableService wrap(BindableService service) {
        ServerServiceDefinition def = ServerInterceptors.intercept(service, new TokenInterceptor());
        return () -> def;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String token = headers.get(TOKEN_HEADER);
        String commonName = CertificateNames.peerCommonName(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
        if (token == null && commonName == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(TOKEN, token).withValue(COMMON_NAME, commonName),
                call, headers, next);
    }

    /** The token of the current call, or null. */
    public static String token() {
        return TOKEN.get();
    }

    /** The CN of the verified client certificate the current call came with over TLS, or null. */
    public static String commonName() {
        return COMMON_NAME.get();
    }

    /**
     * The current call's caller (read now, on the gRPC thread): its token's user, or without a
     * token the CN of its client certificate where the member takes that as the user.
     */
    public static CompletableFuture<Caller> caller(EtcdServer server) {
        return server.caller(token(), commonName());
    }

    /**
     * Resolves the current call's caller (reading the token now, on the gRPC thread), then runs
     * {@code op} for it; fails with "etcdserver: invalid auth token" for a bad token.
     */
    public static <T> CompletableFuture<T> asCaller(EtcdServer server, Function<Caller, CompletableFuture<T>> op) {
        return caller(server).thenCompose(op);
    }
}
