package io.etcdj.server.grpcgo;

import io.grpc.Status;

/**
 * Which calls a server answers with a status when their grpc-timeout passes ({@link CallDeadlines}),
 * and with which, as etcd 3.4's two gRPC servers answer them. Calls left out keep grpc-java's own
 * deadline, which resets the stream when it passes.
 */
public enum DeadlineAnswers {
    /**
     * A member: every call, with UNKNOWN "context deadline exceeded" (what etcd's handlers return
     * for their expired request context, a plain Go error to grpc-go).
     */
    MEMBER(Status.UNKNOWN.withDescription("context deadline exceeded"), false),
    /**
     * The grpc-proxy, unary calls: DEADLINE_EXCEEDED "context deadline exceeded", the status
     * grpc-go's client gives the proxy for the upstream call its expired context ended, which the
     * proxy passes on. Its streams keep grpc-java's deadline.
     */
    PROXY(Status.DEADLINE_EXCEEDED.withDescription("context deadline exceeded"), true);

    final Status expired;
    final boolean unaryOnly;

    DeadlineAnswers(Status expired, boolean unaryOnly) {
        this.expired = expired;
        this.unaryOnly = unaryOnly;
    }
}
