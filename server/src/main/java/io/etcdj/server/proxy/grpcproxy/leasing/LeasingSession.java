package io.etcdj.server.proxy.grpcproxy.leasing;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's leasing session: a lease of {@link #TTL_SECONDS} (etcd's session default) kept
 * alive every third of it, to which every ownership key is attached, and the
 * {@link OwnershipWatch} that starts with it. The session is ready once the watch is in place;
 * from then on keys may be owned under its lease. When the lease is gone (the cluster answers a
 * keep-alive with TTL 0, a lease-bound write finds it missing, no renewal for a whole TTL, or the
 * watch's history was compacted) the whole {@link OwnedKeyCache} is dropped and a new session
 * begins. All its work runs on one thread of its own, {@code work}; nothing there waits on a
 * client.
 *
 * <p>Owning a key means answering for it: when the watch sees another client ask (a "REVOKE"
 * written into one of this session's ownership keys), the session {@linkplain #rescind gives the
 * key up}: it stops answering it from the cache, then deletes its ownership key, which is what the
 * asking client waits for before it writes.
 */
final class LeasingSession implements AutoCloseable, OwnershipWatch.Listener {
    static final long TTL_SECONDS = 60;
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final int RESCIND_TRIES = 10;

    private final LeasingUpstream up;
    private final OwnershipKeys owners;
    private final OwnedKeyCache cache;
    private final ScheduledExecutorService work;
    private final Clock clock;

    // guarded by this
    private long lease;
    private long pendingLease;
    private OwnershipWatch watch;
    private StreamObserver<LeaseKeepAliveRequest> keepAlives;
    private Instant renewed;
    private boolean closed;

    LeasingSession(LeasingUpstream up, OwnershipKeys owners, OwnedKeyCache cache, ScheduledExecutorService work,
                   Clock clock) {
        this.up = up;
        this.owners = owners;
        this.cache = cache;
        this.work = work;
        this.clock = clock;
    }

    void start() {
        work.execute(this::begin);
        long period = TTL_SECONDS * 1000 / 3;
        work.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    /** Grants a lease and opens the ownership watch after it; the session is ready when the watch is. */
    private void begin() {
        LeaseGrantResponse granted;
        try {
            granted = up.grant(TTL_SECONDS);
        } catch (RuntimeException e) {
            retryLater(this::begin);
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            pendingLease = granted.getID();
            renewed = clock.instant();
            watch = OwnershipWatch.open(up, owners, granted.getHeader().getRevision() + 1, this);
        }
    }

    private void retryLater(Runnable r) {
        try {
            work.schedule(r, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // the session is closing
        }
    }

    /** Runs {@code r} on the session's thread (from gRPC's threads, which must not block). */
    private void later(Runnable r) {
        try {
            work.execute(r);
        } catch (RejectedExecutionException closing) {
            // the session is closing
        }
    }

    @Override
    public void created(OwnershipWatch source) {
        synchronized (this) {
            if (source != watch || pendingLease == 0) {
                return; // an old session's watch, or one reopened within a session already ready
            }
            lease = pendingLease;
            pendingLease = 0;
            cache.reset(lease);
            notifyAll();
        }
    }

    @Override
    public void revokeAsked(ByteString key, long ownerLease, long revision) {
        if (ownerLease != 0 && ownerLease == cache.lease()) {
            later(() -> rescind(key, ownerLease, revision, RESCIND_TRIES));
        }
    }

    @Override
    public void deleted(ByteString key, long revision) {
        cache.lost(key, revision);
    }

    @Override
    public void broken(boolean compacted) {
        later(() -> {
            long current;
            synchronized (this) {
                current = lease != 0 ? lease : pendingLease;
            }
            if (compacted) {
                lost(current);
            } else {
                retryLater(() -> reopenWatch(current));
            }
        });
    }

    private synchronized void reopenWatch(long forLease) {
        if (closed || (lease != forLease && pendingLease != forLease)) {
            return;
        }
        watch = OwnershipWatch.open(up, owners, watch.lastRevision() + 1, this);
    }

    /**
     * Gives {@code key} up because another client asked at {@code revision}: first the cache stops
     * answering it, then the ownership key is deleted (only if it is still the one created before
     * the request, i.e. this session's).
     */
    private void rescind(ByteString key, long ownerLease, long revision, int triesLeft) {
        cache.giveUp(key, revision);
        ByteString own = owners.of(key);
        TxnRequest t = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(own).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.LESS).setCreateRevision(revision))
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder().setKey(own)))
                .build();
        try {
            up.txn(t);
        } catch (RuntimeException e) {
            if (triesLeft > 1 && cache.lease() == ownerLease) { // else the lease's end deletes it
                retryLater(() -> rescind(key, ownerLease, revision, triesLeft - 1));
            }
        }
    }

    /** Keeps the lease alive; a whole TTL without a renewal counts as losing it. */
    private void renew() {
        long current;
        StreamObserver<LeaseKeepAliveRequest> stream;
        synchronized (this) {
            current = lease;
            if (current == 0 || closed) {
                return;
            }
            if (renewed.plusSeconds(TTL_SECONDS).isBefore(clock.instant())) {
                current = -current; // lost, handled below outside the lock
            } else if (keepAlives == null) {
                long renewing = current;
                keepAlives = up.keepAlive(new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse r) {
                        if (r.getTTL() <= 0) {
                            later(() -> lost(renewing));
                        } else {
                            synchronized (LeasingSession.this) {
                                renewed = clock.instant();
                            }
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        dropKeepAlives(renewing);
                    }

                    @Override
                    public void onCompleted() {
                        dropKeepAlives(renewing);
                    }
                });
            }
            stream = keepAlives;
        }
        if (current < 0) {
            lost(-current);
            return;
        }
        try {
            stream.onNext(LeaseKeepAliveRequest.newBuilder().setID(current).build());
        } catch (RuntimeException e) {
            dropKeepAlives(current);
        }
    }

    private synchronized void dropKeepAlives(long forLease) {
        if (lease == forLease) {
            keepAlives = null; // the next renewal opens a new stream
        }
    }

    /** The lease {@code gone} no longer holds anything: drop the cache and begin a new session. */
    void lost(long gone) {
        synchronized (this) {
            if (closed || gone == 0 || (lease != gone && pendingLease != gone)) {
                return;
            }
            lease = 0;
            pendingLease = 0;
            cache.reset(0);
            endStreams();
        }
        later(this::begin);
    }

    private void endStreams() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
        if (keepAlives != null) {
            try {
                keepAlives.onCompleted();
            } catch (RuntimeException alreadyEnded) {
                // nothing to end
            }
            keepAlives = null;
        }
    }

    /**
     * The session lease, waiting for a session to be ready for at most {@code max}.
     *
     * @throws io.grpc.StatusRuntimeException UNAVAILABLE when there was none in time
     */
    synchronized long awaitLease(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (lease == 0 && !closed) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw Status.UNAVAILABLE.withDescription("leasing: no session with the cluster").asRuntimeException();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (closed) {
            throw Status.UNAVAILABLE.withDescription("leasing: the proxy is closing").asRuntimeException();
        }
        return lease;
    }

    /** Ends the session; its lease is revoked, so that its ownership keys go with it. */
    @Override
    public void close() {
        long held;
        synchronized (this) {
            closed = true;
            held = lease != 0 ? lease : pendingLease;
            lease = 0;
            cache.reset(0);
            endStreams();
            notifyAll();
        }
        if (held != 0) {
            try {
                up.revoke(held);
            } catch (RuntimeException e) {
                // the lease expires by itself
            }
        }
    }
}
