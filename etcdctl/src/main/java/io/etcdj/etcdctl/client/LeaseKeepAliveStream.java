package io.etcdj.etcdctl.client;

import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A LeaseKeepAlive stream as clientv3 drives it: a renewal right away and then every TTL/3,
 * each response handed on, until a response says the lease is gone (TTL &lt;= 0).
 */
public final class LeaseKeepAliveStream implements AutoCloseable {
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final StreamObserver<LeaseKeepAliveRequest> requests;

    public LeaseKeepAliveStream(EtcdClient client) {
        this.requests = client.leaseAsync().leaseKeepAlive(new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse r) {
                inbox.add(r);
            }

            @Override
            public void onError(Throwable t) {
                inbox.add(t);
            }

            @Override
            public void onCompleted() {
                inbox.add("completed");
            }
        });
    }

    private LeaseKeepAliveResponse next(long timeoutNanos) throws EtcdError, InterruptedException {
        Object o = timeoutNanos > 0 ? inbox.poll(timeoutNanos, TimeUnit.NANOSECONDS) : inbox.take();
        if (o == null) {
            return null;
        }
        if (o instanceof LeaseKeepAliveResponse r) {
            return r;
        }
        if (o instanceof StatusRuntimeException e) {
            throw EtcdError.from(e);
        }
        if (o instanceof Throwable t) {
            throw EtcdError.from(Status.fromThrowable(t).asRuntimeException());
        }
        throw new EtcdError("etcdserver: requested lease not found", "");
    }

    public LeaseKeepAliveResponse once(LeaseKeepAliveRequest req) throws EtcdError {
        requests.onNext(req);
        try {
            return next(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdError("context canceled", "");
        }
    }

    /** Renews until the lease is reported gone or the stream fails. */
    public void keepAliveUntilExpired(long id, Consumer<LeaseKeepAliveResponse> each) {
        LeaseKeepAliveRequest req = LeaseKeepAliveRequest.newBuilder().setID(id).build();
        try {
            while (true) {
                requests.onNext(req);
                LeaseKeepAliveResponse r = next(0);
                if (r.getTTL() <= 0) {
                    return;
                }
                each.accept(r);
                // wait TTL/3 for the next renewal; anything arriving meanwhile means the stream ended
                Object early = inbox.poll(TimeUnit.SECONDS.toNanos(Math.max(1, r.getTTL() / 3)), TimeUnit.NANOSECONDS);
                if (early != null && !(early instanceof LeaseKeepAliveResponse)) {
                    return;
                }
            }
        } catch (EtcdError | InterruptedException e) {
            // the stream ended: clientv3 closes the channel and etcdctl reports expiry
        }
    }

    @Override
    public void close() {
        try {
            requests.onCompleted();
        } catch (RuntimeException e) {
            // already closed
        }
    }
}
