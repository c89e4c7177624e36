package io.etcdj.server.grpcgo;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a call whose grpc-timeout passed as etcd 3.4 ends it: with a status, never a reset stream
 * (see {@link GrpcTimeoutHeader}). At the deadline the call's {@link CallDeadline} actions run
 * first (one of them may answer in its own words); a call still open then ends with UNKNOWN
 * "context deadline exceeded", which is what etcd's handlers return for an expired request
 * context: a proposal raft has not taken (no leader), a linearizable read, a lock or election
 * wait, a watch or keep-alive stream. The handler then learns of the end as a cancellation, so it
 * lets go of what it waited for (a lock waiter's key, a watcher). Calls without a grpc-timeout are
 * not touched.
 */
final class CallDeadlines implements ServerInterceptor {
    /** etcd's answer once a request's context has expired (grpc-go's code for a plain Go error). */
    static final Status EXPIRED = Status.UNKNOWN.withDescription("context deadline exceeded");
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "grpc-call-deadlines");
        t.setDaemon(true);
        return t;
    });

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        String deadline = headers.get(GrpcTimeoutHeader.DEADLINE_NANOS);
        if (deadline == null) {
            return next.startCall(call, headers);
        }
        CallDeadline actions = new CallDeadline();
        DeadlineBoundCall<Q, A> bound = new DeadlineBoundCall<>(call, actions);
        ServerCall.Listener<Q> handler = Contexts.interceptCall(
                Context.current().withValue(CallDeadline.CURRENT, actions), bound, headers, next);
        long delay = Long.parseLong(deadline) - System.nanoTime();
        return bound.listen(handler, TIMER.schedule(bound::expire, delay, TimeUnit.NANOSECONDS));
    }

    /** A call the timer may end ({@link GuardedServerCall}: the handler's later sends are dropped). */
    private static final class DeadlineBoundCall<Q, A> extends GuardedServerCall<Q, A> {
        private final CallDeadline actions;
        private volatile boolean expired;

        DeadlineBoundCall(ServerCall<Q, A> call, CallDeadline actions) {
            super(call);
            this.actions = actions;
        }

        ServerCall.Listener<Q> listen(ServerCall.Listener<Q> handler, ScheduledFuture<?> timer) {
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(handler) {
                @Override
                public void onComplete() {
                    timer.cancel(false);
                    if (expired) {
                        super.onCancel(); // the handler did not close it: to the handler it is cancelled
                    } else {
                        super.onComplete();
                    }
                }

                @Override
                public void onCancel() {
                    timer.cancel(false);
                    super.onCancel();
                }
            };
        }

        void expire() {
            actions.expire();
            expired = true;
            if (!end(EXPIRED)) {
                expired = false; // the handler had closed it (perhaps an action did): its own end stands
            }
        }
    }
}
