package io.etcdj.etcdctl.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * A failed call, carrying the text etcdctl prints for it (clientv3's error string): the server's
 * "etcdserver: ..." description, "context deadline exceeded", or gRPC's
 * "rpc error: code = X desc = Y" for anything else.
 */
public final class EtcdError extends Exception {
    private final String rpcText;

    public EtcdError(String message, String rpcText) {
        super(message, null, false, false);
        this.rpcText = rpcText;
    }

    /** The gRPC status as Go prints it ("rpc error: code = NotFound desc = ..."), for warn lines. */
    public String rpcText() {
        return rpcText;
    }

    public static EtcdError from(StatusRuntimeException e) {
        Status s = e.getStatus();
        String desc = s.getDescription() == null ? "" : s.getDescription();
        String code = goCodeName(s.getCode());
        if (s.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            return new EtcdError("context deadline exceeded",
                    "rpc error: code = DeadlineExceeded desc = context deadline exceeded");
        }
        if (s.getCode() == Status.Code.CANCELLED && desc.isEmpty()) {
            return new EtcdError("context canceled", "rpc error: code = Canceled desc = context canceled");
        }
        String rpc = "rpc error: code = " + code + " desc = " + desc;
        if (desc.startsWith("etcdserver: ") || desc.startsWith("mvcc: ")) {
            return new EtcdError(desc, rpc);
        }
        return new EtcdError(rpc, rpc);
    }

    static String goCodeName(Status.Code c) {
        return switch (c) {
            case OK -> "OK";
            case CANCELLED -> "Canceled";
            case UNKNOWN -> "Unknown";
            case INVALID_ARGUMENT -> "InvalidArgument";
            case DEADLINE_EXCEEDED -> "DeadlineExceeded";
            case NOT_FOUND -> "NotFound";
            case ALREADY_EXISTS -> "AlreadyExists";
            case PERMISSION_DENIED -> "PermissionDenied";
            case RESOURCE_EXHAUSTED -> "ResourceExhausted";
            case FAILED_PRECONDITION -> "FailedPrecondition";
            case ABORTED -> "Aborted";
            case OUT_OF_RANGE -> "OutOfRange";
            case UNIMPLEMENTED -> "Unimplemented";
            case INTERNAL -> "Internal";
            case UNAVAILABLE -> "Unavailable";
            case DATA_LOSS -> "DataLoss";
            case UNAUTHENTICATED -> "Unauthenticated";
        };
    }
}
