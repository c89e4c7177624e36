package io.etcdj.server.v3;

import io.etcdj.server.EtcdException;
import io.etcdj.server.EtcdServer;
import io.etcdj.server.auth.Caller;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;

/**
 * Puts the auth token a client sends in the gRPC metadata key "token" (what clientv3 sends after
 * Authenticate) into the call's {@link Context}, where the service handlers find it through
 * {@link #caller}.
 */
public final class TokenInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> TOKEN_HEADER = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> TOKEN = Context.key("etcdj-auth-token");

    /** The service with this interceptor in front, ready to add to a gRPC server. */
    public static BindableService wrap(BindableService service) {
        ServerServiceDefinition def = ServerInterceptors.intercept(service, new TokenInterceptor());
        return () -> def;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String token = headers.get(TOKEN_HEADER);
        if (token == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(TOKEN, token), call, headers, next);
    }

    /** The token of the current call, or null. */
    public static String token() {
        return TOKEN.get();
    }

    /**
     * The caller of the current call; null after failing {@code out} when its token is invalid
     * ("etcdserver: invalid auth token").
     */
    public static Caller caller(EtcdServer server, StreamObserver<?> out) {
        try {
            return server.caller(token());
        } catch (EtcdException e) {
            out.onError(e.toStatus().asRuntimeException());
            return null;
        }
    }
}
