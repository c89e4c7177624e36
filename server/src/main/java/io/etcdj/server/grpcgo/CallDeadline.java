package io.etcdj.server.grpcgo;

import io.grpc.Context;

/**
 * The grpc-timeout of one call, as a Go handler sees its request context's deadline: what the
 * server is waiting on for the call may register an action with {@link #whenExpired}, which runs
 * when the deadline passes, before {@link CallDeadlines} ends the call with etcd's answer for an
 * expired context. An action that closes the call itself (e.g. a proposal raft already took,
 * which etcd answers "request timed out") thereby decides the call's status. Actions run as
 * {@link OneShotActions} promise.
 */
public final class CallDeadline {
    static final Context.Key<CallDeadline> CURRENT = Context.key("etcdj-call-deadline");
    private static final Runnable NOTHING_TO_WITHDRAW = () -> { };

    private final OneShotActions actions = new OneShotActions();

    /**
     * Runs {@code action} when the grpc-timeout of the call being handled on this thread passes;
     * nothing happens when the call has none (or this is no call's thread). Returns a handle
     * that withdraws it, for work that ended first.
     */
    public static Runnable whenExpired(Runnable action) {
        CallDeadline d = CURRENT.get();
        return d == null ? NOTHING_TO_WITHDRAW : d.actions.add(action);
    }

    /** The deadline passed: runs the actions registered so far, on this thread. */
    void expire() {
        actions.fire();
    }
}
