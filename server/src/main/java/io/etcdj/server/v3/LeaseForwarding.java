package io.etcdj.server.v3;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * The mark a member puts on a lease request it forwards to the leader (a gRPC metadata header), so
 * the leader answers it locally and never forwards it again. The interceptor exposes the mark to
 * the service through {@link #isForwarded()}.
 */
final class LeaseForwarding implements ServerInterceptor {
    static final Metadata.Key<String> HEADER = Metadata.Key.of("etcdj-lease-forwarded", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<Boolean> FORWARDED = Context.key("etcdj-lease-forwarded");

    static Metadata mark() {
        Metadata md = new Metadata();
        md.put(HEADER, "1");
        return md;
    }

    /** Whether the current gRPC call was forwarded by another member. */
    static boolean isForwarded() {
        return Boolean.TRUE.equals(FORWARDED.get());
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                      ServerCallHandler<Q, A> next) {
        Context ctx = Context.current().withValue(FORWARDED, headers.containsKey(HEADER));
        return Contexts.interceptCall(ctx, call, headers, next);
    }
}
