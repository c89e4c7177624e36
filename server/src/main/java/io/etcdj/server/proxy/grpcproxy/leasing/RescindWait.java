package io.etcdj.server.proxy.grpcproxy.leasing;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A writer's wait for an owner to give a key up: a watch of the ownership key from just after the
 * revision at which the writer asked, until the key is deleted (by its owner, or with the owner's
 * lease). Bounded by the client's deadline, or by {@link #LONGEST} (an owner that vanished lets go
 * when its lease expires, within one session TTL).
 */
final class RescindWait {
    static final Duration LONGEST = Duration.ofSeconds(LeasingSession.TTL_SECONDS + 10);

    private RescindWait() {}

    /**
     * Returns once {@code ownershipKey} was deleted after {@code askedAt}, or the watch ended without
     * telling (the caller then asks again).
     *
     * @throws io.grpc.StatusRuntimeException DEADLINE_EXCEEDED when the owner did not let go in time
     */
    static void await(LeasingUpstream up, ByteString ownershipKey, long askedAt) {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        Runnable cancel = up.watch(WatchCreateRequest.newBuilder().setKey(ownershipKey).setStartRevision(askedAt + 1)
                .build(), new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                if (r.getCanceled() || r.getCompactRevision() > 0
                        || r.getEventsList().stream().anyMatch(e -> e.getType() == Event.EventType.DELETE)) {
                    gone.complete(null);
                }
            }

            @Override
            public void onError(Throwable t) {
                gone.complete(null);
            }

            @Override
            public void onCompleted() {
                gone.complete(null);
            }
        });
        try {
            Deadline client = Context.current().getDeadline();
            long waitNanos = client == null ? LONGEST.toNanos() : Math.max(0, client.timeRemaining(TimeUnit.NANOSECONDS));
            gone.get(waitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw Status.DEADLINE_EXCEEDED.withDescription("context deadline exceeded").asRuntimeException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("context canceled").asRuntimeException();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e); // never completed exceptionally
        } finally {
            cancel.run();
        }
    }
}
