package io.etcdj.server.grpcgo;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A server call that something besides its handler may end (a refusal, a lost leader, a passed
 * deadline) while the handler still answers from its own threads. Invariant: headers, messages
 * and the close are passed on one at a time, and once the call is closed, by either side,
 * whatever the handler still sends or closes is dropped instead of failing it.
 */
public class GuardedServerCall<Q, A> extends ForwardingServerCall.SimpleForwardingServerCall<Q, A> {
    private boolean closed; // guarded by this
    /** Whether {@link #end} closed the call (the handler did not). */
    private volatile boolean ended;

    public GuardedServerCall(ServerCall<Q, A> call) {
        super(call);
    }

    /** Closes the call with {@code status} unless it is closed already; true if this closed it. */
    public synchronized boolean end(Status status) {
        if (closed) {
            return false;
        }
        closed = true;
        ended = true; // before the close, whose completion the listener may report at once
        super.close(status, new Metadata());
        return true;
    }

    /**
     * {@code handler} as this call's listener: when {@link #end} closed the call, the handler
     * learns of it as a cancellation (so it lets go of what it waited for), and {@code whenOver}
     * runs once the call is over, however it ended.
     */
    public ServerCall.Listener<Q> listen(ServerCall.Listener<Q> handler, Runnable whenOver) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(handler) {
            @Override
            public void onComplete() {
                whenOver.run();
                if (ended) {
                    super.onCancel();
                } else {
                    super.onComplete();
                }
            }

            @Override
            public void onCancel() {
                whenOver.run();
                super.onCancel();
            }
        };
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
        if (!closed) {
            super.sendHeaders(headers);
        }
    }

    @Override
    public synchronized void sendMessage(A message) {
        if (!closed) {
            super.sendMessage(message);
        }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
        if (!closed) {
            closed = true;
            super.close(status, trailers);
        }
    }
}
