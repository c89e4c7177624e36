package io.etcdj.server.grpcgo;

import io.grpc.Metadata;
import io.grpc.ServerStreamTracer;
import io.grpc.internal.GrpcUtil;

/**
 * grpc-go's server never resets a call whose grpc-timeout passes: the deadline only ends the
 * handler's context, and whatever the handler then returns (for etcd, mostly "context deadline
 * exceeded") becomes the call's status. grpc-java's server instead cancels the stream at the
 * deadline (RST_STREAM CANCEL), so the client gets no status at all. So, while the headers are
 * still being read, this takes a grpc-timeout out (grpc-java then sets no deadline of its own) and
 * leaves the instant it ends, as {@link System#nanoTime()}, under {@link #DEADLINE_NANOS} for
 * {@link CallDeadlines}. A grpc-timeout that does not parse is left for grpc-java to refuse, and a
 * client's own {@code DEADLINE_NANOS} header is removed.
 */
final class GrpcTimeoutHeader extends ServerStreamTracer.Factory {
    static final Metadata.Key<String> DEADLINE_NANOS =
            Metadata.Key.of("etcdj-deadline-nanos", Metadata.ASCII_STRING_MARSHALLER);
    private static final ServerStreamTracer NOTHING_TO_TRACE = new ServerStreamTracer() {
    };

    @Override
    public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
        long now = System.nanoTime();
        headers.discardAll(DEADLINE_NANOS);
        Long timeoutNanos;
        try {
            timeoutNanos = headers.get(GrpcUtil.TIMEOUT_KEY);
        } catch (RuntimeException unparsable) {
            return NOTHING_TO_TRACE;
        }
        if (timeoutNanos != null) {
            headers.discardAll(GrpcUtil.TIMEOUT_KEY);
            headers.put(DEADLINE_NANOS, Long.toString(now + timeoutNanos));
        }
        return NOTHING_TO_TRACE;
    }
}
