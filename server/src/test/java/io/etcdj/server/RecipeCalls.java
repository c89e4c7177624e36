package io.etcdj.server;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.mvccpb.KeyValue;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** Test helper: lock and election calls over a member's client port, each one a future. */
final class RecipeCalls {
    static final Duration WAIT = Duration.ofSeconds(20);

    private final ManagedChannel channel;

    RecipeCalls(ManagedChannel channel) {
        this.channel = channel;
    }

    /** A call in flight: its reply, and a way to abandon it as a client would. */
    record Pending<T>(CompletableFuture<T> reply, Context.CancellableContext context) {
        T await() throws Exception {
            return get(reply);
        }

        void cancel() {
            context.cancel(null);
        }
    }

    /** Starts an asynchronous call in its own cancellable context. */
    static <T> Pending<T> start(Consumer<StreamObserver<T>> call) {
        CompletableFuture<T> reply = new CompletableFuture<>();
        Context.CancellableContext ctx = Context.current().withCancellation();
        ctx.run(() -> call.accept(new StreamObserver<T>() {
            @Override
            public void onNext(T value) {
                reply.complete(value);
            }

            @Override
            public void onError(Throwable t) {
                reply.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                reply.completeExceptionally(new AssertionError("completed without a reply"));
            }
        }));
        return new Pending<>(reply, ctx);
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("no reply within " + WAIT, e);
        }
    }

    /** The status a failed call ended with, as "CODE: description". */
    static String failure(CompletableFuture<?> f) throws Exception {
        try {
            get(f);
        } catch (StatusRuntimeException e) {
            Status s = e.getStatus();
            return s.getCode() + ": " + s.getDescription();
        }
        throw new AssertionError("the call succeeded");
    }

    long grant(long ttl) {
        return LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(ttl).build()).getID();
    }

    void revoke(long lease) {
        LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build());
    }

    /** Every key under {@code prefix}, in key order. */
    List<KeyValue> keysUnder(String prefix) {
        ByteString p = bytes(prefix);
        ByteString end = p.substring(0, p.size() - 1).concat(ByteString.copyFrom(new byte[] {(byte) (p.byteAt(p.size() - 1) + 1)}));
        return KVGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .range(RangeRequest.newBuilder().setKey(p).setRangeEnd(end).build()).getKvsList();
    }

    /** Waits until exactly {@code n} keys are under {@code prefix}. */
    void awaitKeyCount(String prefix, int n) {
        EtcdCluster.awaitCondition(WAIT, n + " keys under " + prefix, () -> keysUnder(prefix).size() == n);
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static String hex(long lease) {
        return Long.toHexString(lease);
    }
}
