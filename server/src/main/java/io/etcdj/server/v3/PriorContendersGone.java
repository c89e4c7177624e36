package io.etcdj.server.v3;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.server.EtcdServer;
import io.etcdj.server.auth.Caller;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Waits, without holding a thread, until no key under a prefix was created at or before a
 * revision: how a contender learns it now holds the lock or leads (etcd's {@code waitDeletes}).
 *
 * <p>Each round reads linearizably the newest such key; if there is none, the wait completes with
 * that read's header. Otherwise it watches that key from the read's revision until an event
 * deletes it, then starts the next round. Waiting on the newest earlier contender (not the
 * holder) means each deletion wakes one waiter only.
 *
 * <p>Invariant: at most one watch is open at a time, and none once the result is complete; a
 * cancelled call completes the result with a {@link java.util.concurrent.CancellationException}.
 */
final class PriorContendersGone {
    private final EtcdServer server;
    private final Caller caller;
    private final Executor executor;
    private final ByteString prefix;
    private final long maxCreateRev;
    private final CompletableFuture<ResponseHeader> result = new CompletableFuture<>();
    private ServerWatch watch; // guarded by this

    private PriorContendersGone(EtcdServer server, Caller caller, Executor executor, ByteString prefix,
            long maxCreateRev) {
        this.server = server;
        this.caller = caller;
        this.executor = executor;
        this.prefix = prefix;
        this.maxCreateRev = maxCreateRev;
    }

    /** Completes once every key under {@code prefix} created at or before {@code maxCreateRev} is deleted. */
    static CompletableFuture<ResponseHeader> await(EtcdServer server, Caller caller, Executor executor,
            ByteString prefix, long maxCreateRev, CallCancellation call) {
        PriorContendersGone wait = new PriorContendersGone(server, caller, executor, prefix, maxCreateRev);
        Runnable withdraw = call.onCancel(() -> wait.fail(CallCancellation.cancelled()));
        wait.result.whenComplete((h, err) -> withdraw.run());
        wait.nextRound();
        return wait.result;
    }

    private void nextRound() {
        if (result.isDone()) {
            return;
        }
        server.range(RecipeRequests.lastCreatedUpTo(prefix, maxCreateRev), caller).whenComplete(this::onNewestPrior);
    }

    private void onNewestPrior(RangeResponse r, Throwable err) {
        if (err != null) {
            fail(err);
        } else if (r.getKvsCount() == 0) {
            result.complete(r.getHeader());
        } else {
            watchUntilDeleted(r.getKvs(0).getKey(), r.getHeader().getRevision());
        }
    }

    private void watchUntilDeleted(ByteString key, long fromRev) {
        WatchCreateRequest request = WatchCreateRequest.newBuilder().setKey(key).setStartRevision(fromRev).build();
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            watch = ServerWatch.start(server, executor, request, this::onEvents, this::fail);
        }
    }

    private void onEvents(WatchResponse r) {
        for (Event e : r.getEventsList()) {
            if (e.getType() == Event.EventType.DELETE) {
                closeWatch();
                nextRound();
                return;
            }
        }
    }

    private void fail(Throwable err) {
        closeWatch();
        result.completeExceptionally(err);
        closeWatch(); // a watch started while failing
    }

    private synchronized void closeWatch() {
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }
}
