package io.etcdj.server.proxy.grpcproxy;

import com.google.protobuf.MessageLite;
import io.etcdj.server.grpcgo.GoGrpcRefusals;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.util.Optional;

/**
 * {@code --max-send-bytes} and {@code --max-recv-bytes}: etcd's proxy sets them on its client to
 * the cluster, so they bound every message the proxy sends upstream (a client's request, after
 * the namespace prefix is added) and every message it receives from a member (an answer, a watch
 * or keep-alive response). A message over a limit ends its call with RESOURCE_EXHAUSTED and Go
 * gRPC's text, which the proxy's client then sees:
 * {@code trying to send message larger than max (150007 vs. 100000)} or
 * {@code grpc: received message larger than max (270083 vs. 200000)}.
 *
 * <p>The check is ours, not the transport's, because grpc-java's own limits word it differently;
 * the upstream channel therefore accepts any inbound size. Once a call failed here nothing more
 * of it is passed on in either direction, and its close carries our status, not the cancellation.
 */
final class UpstreamMessageLimits implements ClientInterceptor {
    /** What etcd's client sends when --max-send-bytes is not positive (clientv3's default, not the flag's). */
    static final int CLIENT_DEFAULT_SEND_BYTES = 2 * 1024 * 1024;

    private final int maxSendBytes;
    private final int maxRecvBytes;

    /** Non-positive limits are left unset, as etcd leaves them: clientv3's defaults apply. */
    UpstreamMessageLimits(long maxSendBytes, long maxRecvBytes) {
        this.maxSendBytes = maxSendBytes > 0 ? (int) Math.min(Integer.MAX_VALUE, maxSendBytes) : CLIENT_DEFAULT_SEND_BYTES;
        this.maxRecvBytes = maxRecvBytes > 0 ? (int) Math.min(Integer.MAX_VALUE, maxRecvBytes) : Integer.MAX_VALUE;
    }

    /**
     * Why etcd's proxy refuses to start with these flags, if it does: both set and the send limit
     * above the receive limit (clientv3 checks this when the client is made).
     */
    static Optional<String> refusal(long maxSendBytes, long maxRecvBytes) {
        if (maxSendBytes > 0 && maxRecvBytes > 0 && maxSendBytes > maxRecvBytes) {
            return Optional.of("gRPC message recv limit (" + maxRecvBytes + " bytes) must be greater than "
                    + "send limit (" + maxSendBytes + " bytes)");
        }
        return Optional.empty();
    }

    int maxSendBytes() {
        return maxSendBytes;
    }

    int maxRecvBytes() {
        return maxRecvBytes;
    }

    static String sendTooLarge(int size, int max) {
        return "trying to send message larger than max (" + size + " vs. " + max + ")";
    }

    static String receivedTooLarge(int size, int max) {
        return GoGrpcRefusals.receivedTooLarge(size, max);
    }

    private static int sizeOf(Object message) {
        return message instanceof MessageLite m ? m.getSerializedSize() : 0;
    }

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        return new LimitedCall<>(next.newCall(method, options));
    }

    private final class LimitedCall<Q, A> extends ForwardingClientCall.SimpleForwardingClientCall<Q, A> {
        /** Set once, by the first message over a limit; from then on the call only waits for its close. */
        private volatile Status failure;

        LimitedCall(ClientCall<Q, A> call) {
            super(call);
        }

        /** Guarded by {@code this} with the calls below, so nothing reaches the call after its cancel. */
        private synchronized void fail(Status status) {
            if (failure == null) {
                failure = status;
                delegate().cancel(status.getDescription(), null);
            }
        }

        @Override
        public void start(Listener<A> listener, Metadata headers) {
            super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                @Override
                public void onMessage(A message) {
                    int size = sizeOf(message);
                    if (size > maxRecvBytes) {
                        fail(Status.RESOURCE_EXHAUSTED.withDescription(receivedTooLarge(size, maxRecvBytes)));
                        return;
                    }
                    if (failure == null) {
                        super.onMessage(message);
                    }
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    Status ours = failure;
                    super.onClose(ours != null ? ours : status, ours != null ? new Metadata() : trailers);
                }
            }, headers);
        }

        @Override
        public synchronized void sendMessage(Q message) {
            if (failure != null) {
                return;
            }
            int size = sizeOf(message);
            if (size > maxSendBytes) {
                fail(Status.RESOURCE_EXHAUSTED.withDescription(sendTooLarge(size, maxSendBytes)));
                return;
            }
            super.sendMessage(message);
        }

        @Override
        public synchronized void request(int n) {
            if (failure == null) {
                super.request(n);
            }
        }

        @Override
        public synchronized void halfClose() {
            if (failure == null) {
                super.halfClose();
            }
        }
    }
}
