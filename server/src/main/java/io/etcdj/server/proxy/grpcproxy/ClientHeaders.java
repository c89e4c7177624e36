package io.etcdj.server.proxy.grpcproxy;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;

/**
 * The etcd metadata (token, leader requirement) of the client call being served, kept in the
 * gRPC context by this interceptor so that the proxy's own services can send it upstream with
 * the calls they make for the client. Its {@link #identity()} separates clients that must not
 * share an upstream stream (different users, or different leader requirements).
 */
final class ClientHeaders implements ServerInterceptor {
    private static final Context.Key<Metadata> FORWARDED = Context.key("etcdj-proxy-forwarded-headers");

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        Context ctx = Context.current().withValue(FORWARDED, ForwardingCall.forwardedHeaders(headers));
        return Contexts.interceptCall(ctx, call, headers, next);
    }

    /** The current client's forwarded metadata (empty outside a call). */
    static Metadata current() {
        Metadata m = FORWARDED.get();
        return m == null ? new Metadata() : m;
    }

    /** A string equal for two clients exactly when their forwarded metadata is equal. */
    static String identity() {
        Metadata m = current();
        return m.get(ForwardingCall.TOKEN) + "\0" + m.get(ForwardingCall.HAS_LEADER);
    }

    /** {@code stub} sending {@code headers} with each call. */
    static <S extends AbstractStub<S>> S attach(S stub, Metadata headers) {
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
}
