package io.etcdj.server;

import io.grpc.Status;

/**
 * A failure a client sees as one of etcd's errors: etcd's exact text and gRPC code. Usually made
 * from an {@link EtcdError}; errors defined by a lower layer (mvcc) keep their own text and code.
 */
public final class EtcdException extends RuntimeException {
    private final Status.Code code;

    public EtcdException(EtcdError error) {
        this(error.code(), error.message());
    }

    public EtcdException(Status.Code code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public Status.Code code() {
        return code;
    }

    public boolean is(EtcdError error) {
        return code == error.code() && error.message().equals(getMessage());
    }

    public Status toStatus() {
        return Status.fromCode(code).withDescription(getMessage());
    }
}
