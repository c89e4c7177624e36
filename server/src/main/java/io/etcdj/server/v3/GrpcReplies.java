package io.etcdj.server.v3;

import io.etcdj.mvcc.MvccException;
import io.etcdj.server.EtcdError;
import io.etcdj.server.EtcdException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns server futures and etcd errors into gRPC replies with etcd's codes and texts. */
public final class GrpcReplies {
    private GrpcReplies() {}

    public static <T> void reply(CompletableFuture<T> result, StreamObserver<T> out) {
        result.whenComplete((v, err) -> {
            if (err != null) {
                out.onError(toStatus(err));
            } else {
                out.onNext(v);
                out.onCompleted();
            }
        });
    }

    public static void fail(StreamObserver<?> out, EtcdError error) {
        out.onError(toStatus(error.exception()));
    }

    public static StatusRuntimeException toStatus(Throwable err) {
        Throwable t = err;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof EtcdException e) {
            return e.toStatus().asRuntimeException();
        }
        if (t instanceof MvccException e) {
            return Status.fromCode(Status.Code.valueOf(e.grpcCode())).withDescription(e.getMessage())
                    .asRuntimeException();
        }
        if (t instanceof StatusRuntimeException s) {
            return s;
        }
        return Status.UNKNOWN.withDescription(String.valueOf(t.getMessage())).withCause(t).asRuntimeException();
    }
}
