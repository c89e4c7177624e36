package io.etcdj.server.grpcgo;

import io.grpc.Context;
import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.internal.GrpcUtil;
import java.util.function.Predicate;

/**
 * grpc-go's server never resets a call whose grpc-timeout passes: the deadline only ends the
 * handler's context, and whatever the handler then returns (for etcd, mostly "context deadline
 * exceeded") becomes the call's status. grpc-java's server instead cancels the stream at the
 * deadline (RST_STREAM CANCEL), so the client gets no status at all. So, while the headers are
 * still being read, this takes a grpc-timeout out (grpc-java then sets no deadline of its own) and
 * puts the instant it ends, as {@link System#nanoTime()}, in the call's context under
 * {@link #DEADLINE_NANOS}, where {@link CallDeadlines} finds it. A grpc-timeout that does not parse
 * is left for grpc-java to refuse.
 */
final class GrpcTimeoutHeader extends ServerStreamTracer.Factory {
    /** When the call's grpc-timeout ends ({@link System#nanoTime()}); absent without one. */
    static final Context.Key<Long> DEADLINE_NANOS = Context.key("etcdj-grpc-timeout-deadline-nanos");
    private static final ServerStreamTracer NOTHING_TO_TRACE = new ServerStreamTracer() {
    };

    /** The calls (by full method name) whose grpc-timeout this takes; the others keep grpc-java's. */
    private final Predicate<String> methods;

    GrpcTimeoutHeader(Predicate<String> methods) {
        this.methods = methods;
    }

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        if (!methods.test(fullMethodName)) {
            return NOTHING_TO_TRACE;
        }
        long now = System.nanoTime();
        Long timeoutNanos;
        try {
            timeoutNanos = headers.get(GrpcUtil.TIMEOUT_KEY);
        } catch (RuntimeException unparsable) {
            return NOTHING_TO_TRACE;
        }
        if (timeoutNanos == null) {
            return NOTHING_TO_TRACE;
        }
        headers.discardAll(GrpcUtil.TIMEOUT_KEY);
        long deadline = now + timeoutNanos;
        return new ServerStreamTracer() {
            @Override
            public Context filterContext(Context context) {
                return context.withValue(DEADLINE_NANOS, deadline);
            }
        };
    }
}
