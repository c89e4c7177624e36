package io.etcdj.server.grpcgo;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;

/**
 * Ends a call as grpc-go's server does when the gRPC layer refuses it: at its start when the
 * client compressed with an encoding we do not take (see {@link UnsupportedEncodings}), or at a
 * message {@link CheckedRequests} refused. The handler below never sees a refused message; after
 * a refusal it is told the call was cancelled (so a stream cleans up) and nothing more. Streaming
 * handlers answer from other threads, so their call is guarded: once refused, whatever they still
 * send or close is dropped rather than thrown at them.
 */
final class RefusingCallHandler<Q, A> implements ServerCallHandler<Q, A> {
    private final ServerCallHandler<Q, A> next;
    private final boolean unary;

    RefusingCallHandler(ServerCallHandler<Q, A> next, boolean unary) {
        this.next = next;
        this.unary = unary;
    }

    @Override
    public ServerCall.Listener<Q> startCall(ServerCall<Q, A> call, Metadata headers) {
        String encoding = headers.get(UnsupportedEncodings.REFUSED_ENCODING);
        if (encoding != null) {
            call.close(Status.UNIMPLEMENTED.withDescription(
                    "grpc: Decompressor is not installed for grpc-encoding " + GoQuote.of(encoding)), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        // a unary handler answers only after the half-close, which a refusal keeps from it
        Refusable<Q, A> refusable = unary ? new Refusable<>(call) : new GuardedCall<>(call);
        return new RefusalListener<>(next.startCall(refusable.call(), headers), refusable);
    }

    /** Where a refusal closes the call. */
    private static class Refusable<Q, A> {
        private final ServerCall<Q, A> call;

        Refusable(ServerCall<Q, A> call) {
            this.call = call;
        }

        ServerCall<Q, A> call() {
            return call;
        }

        void refuse(Status status) {
            try {
                call.close(status, new Metadata());
            } catch (IllegalStateException closedByTheHandlerFirst) {
                // e.g. an interceptor refused the call at its start; the client has its answer
            }
        }
    }

    /** A streaming call whose handler may still answer (from any thread) after a refusal. */
    private static final class GuardedCall<Q, A> extends Refusable<Q, A> {
        private final GuardedServerCall<Q, A> guarded;

        GuardedCall(ServerCall<Q, A> call) {
            super(call);
            this.guarded = new GuardedServerCall<>(call);
        }

        @Override
        ServerCall<Q, A> call() {
            return guarded;
        }

        @Override
        void refuse(Status status) {
            guarded.end(status);
        }
    }

    private static final class RefusalListener<Q, A> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final Refusable<Q, A> call;
        /** gRPC serializes this listener's callbacks, so a plain field is enough. */
        private boolean refused;

        RefusalListener(ServerCall.Listener<Q> next, Refusable<Q, A> call) {
            super(next);
            this.call = call;
        }

        @Override
        public void onMessage(Q message) {
            if (refused) {
                return;
            }
            if ((Object) message instanceof CheckedRequests.Refused r) {
                refused = true;
                call.refuse(r.status());
                return;
            }
            super.onMessage(message);
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                super.onHalfClose();
            }
        }

        @Override
        public void onComplete() {
            if (refused) {
                super.onCancel();
            } else {
                super.onComplete();
            }
        }
    }
}
