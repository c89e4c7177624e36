package io.etcdj.server.grpcgo;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Ends a call whose grpc-timeout passed as etcd 3.4 ends it: with a status, never a reset stream
 * (see {@link GrpcTimeoutHeader}). At the deadline the call's {@link CallDeadline} actions run
 * first (one of them may answer in its own words); a call still open then ends with the
 * {@link DeadlineAnswers}' status — on a member UNKNOWN "context deadline exceeded", which is what
 * etcd's handlers return for an expired request context: a proposal raft has not taken (no leader), a linearizable read, a lock or election
 * wait, a watch or keep-alive stream. The handler then learns of the end as a cancellation, so it
 * lets go of what it waited for (a lock waiter's key, a watcher). Calls without a grpc-timeout are
 * not touched.
 */
final class CallDeadlines implements ServerInterceptor {
    /** The status of a call still open at its deadline. */
    private final Status expired;

    CallDeadlines(Status expired) {
        this.expired = expired;
    }
    /** One daemon thread for every member in the process; a call that ends first takes its timer out. */
    private static final ScheduledExecutorService TIMER = timer();

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        Long deadline = GrpcTimeoutHeader.DEADLINE_NANOS.get();
        if (deadline == null) {
            return next.startCall(call, headers);
        }
        CallDeadline actions = new CallDeadline();
        DeadlineBoundCall<Q, A> bound = new DeadlineBoundCall<>(call, actions, expired);
        ServerCall.Listener<Q> handler = Contexts.interceptCall(
                Context.current().withValue(CallDeadline.CURRENT, actions), bound, headers, next);
        long delay = deadline - System.nanoTime();
        ScheduledFuture<?> timer = TIMER.schedule(bound::expire, delay, TimeUnit.NANOSECONDS);
        return bound.listen(handler, () -> timer.cancel(false));
    }

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "grpc-call-deadlines");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true); // most calls end long before their deadline
        return timer;
    }

    /** A call the timer may end ({@link GuardedServerCall}: the handler's later sends are dropped). */
    private static final class DeadlineBoundCall<Q, A> extends GuardedServerCall<Q, A> {
        private final CallDeadline actions;
        private final Status expired;

        DeadlineBoundCall(ServerCall<Q, A> call, CallDeadline actions, Status expired) {
            super(call);
            this.actions = actions;
            this.expired = expired;
        }

        /** The actions first (one may close the call in its own words), then etcd's answer if it is still open. */
        void expire() {
            actions.expire();
            end(expired);
        }
    }
}
