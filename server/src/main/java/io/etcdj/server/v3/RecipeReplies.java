package io.etcdj.server.v3;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * Replies of the Lock and Election services. etcd serves both through an in-process client that
 * turns every failure into a plain error, so a client sees etcd's text with code UNKNOWN (e.g.
 * UNKNOWN "etcdserver: requested lease not found", UNKNOWN "election: no leader"); this does the
 * same. A reply to a call the client already cancelled is dropped.
 */
final class RecipeReplies {
    private RecipeReplies() {}

    static <T> void reply(CompletableFuture<T> result, StreamObserver<T> out) {
        result.whenComplete((v, err) -> {
            if (err != null) {
                fail(out, err);
            } else {
                send(out, v);
                complete(out);
            }
        });
    }

    static StatusRuntimeException toStatus(Throwable err) {
        Status s = GrpcReplies.toStatus(err).getStatus();
        return Status.UNKNOWN.withDescription(s.getDescription()).asRuntimeException();
    }

    static <T> void send(StreamObserver<T> out, T value) {
        try {
            out.onNext(value);
        } catch (RuntimeException cancelled) {
            // the call is gone
        }
    }

    static void complete(StreamObserver<?> out) {
        try {
            out.onCompleted();
        } catch (RuntimeException cancelled) {
            // the call is gone
        }
    }

    static void fail(StreamObserver<?> out, Throwable err) {
        try {
            out.onError(toStatus(err));
        } catch (RuntimeException cancelled) {
            // the call is gone
        }
    }
}
