package io.etcdj.server.gateway;

import io.grpc.Status;

/** The HTTP status etcd 3.4's gateway (grpc-gateway v1) answers for each gRPC status code. */
final class GrpcHttpStatus {
    private GrpcHttpStatus() {
    }

    static int of(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> 408;
            case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case DEADLINE_EXCEEDED -> 504;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case UNAUTHENTICATED -> 401;
            case RESOURCE_EXHAUSTED -> 429;
            case FAILED_PRECONDITION -> 412;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
        };
    }

    /** Go's http.StatusText for the statuses above. */
    static String text(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }
}
