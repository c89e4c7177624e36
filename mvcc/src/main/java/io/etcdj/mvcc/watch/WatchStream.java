package io.etcdj.mvcc.watch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.WatchCancelRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.mvcc.KeyRange;

/**
 * One client watch stream (one gRPC {@code Watch} call): the watchers it created and the ordered buffer
 * of responses waiting to be sent. The gRPC service feeds it requests ({@link #handle}) and sends what
 * {@link #poll} returns. Headers come from the store's header maker
 * ({@link WatchableStore#setResponseHeaders}): only {@code header.revision} unless a server installed
 * its own.
 *
 * <h2>Responses, in the order they must be sent</h2>
 * <ul>
 *   <li>created: {@code created=true}, the watch id (or -1 and {@code canceled=true} with
 *       {@code cancel_reason} when refused), header revision = the last notified revision;</li>
 *   <li>events: all events of one or more whole revisions for one watch id;</li>
 *   <li>canceled: on {@link #cancel}, or {@code canceled=true} with {@code compact_revision} when the
 *       watcher's next revision was compacted away;</li>
 *   <li>progress: no events, header revision R: every later event of that watch (id -1: of every watch
 *       on the stream) has a revision &gt; R.</li>
 * </ul>
 * The buffer holds at most {@code capacity} event and periodic-progress responses; a watcher whose
 * response does not fit is served again later from history. Control responses always fit.
 *
 * <p>Thread-safety: every method may be called from any thread. {@link #poll} never blocks writers.
 */
public final class WatchStream implements AutoCloseable {
    /** The watch id etcd uses for responses that concern every watcher of a stream. */
    public static final long ALL_WATCHES = -1;

    private final WatchableStore store;
    private final int capacity;
    private final int fragmentBytes;

    // guarded by store.mu
    private final Map<Long, Watcher> watchers = new HashMap<>();
    /**
     * Ids of watchers cancelled for compaction that the client has not cancelled yet: as etcd 3.4.23
     * does, a cancel request for one is still answered (then the id is forgotten), and until then
     * the id stays taken ({@link #taken}).
     */
    private final Set<Long> compactedIds = new HashSet<>();
    private long nextId;
    volatile int unsyncedCount;
    private boolean deferredProgress;
    private boolean closed;

    private final ReentrantLock qlock = new ReentrantLock();
    private final Condition available = qlock.newCondition();
    private final ArrayDeque<Item> queue = new ArrayDeque<>();
    private final ArrayDeque<WatchResponse> fragments = new ArrayDeque<>();
    private int boundedItems;
    private volatile Runnable responseListener;

    private record Item(WatchResponse response, boolean bounded, boolean fragment) {
    }

    WatchStream(WatchableStore store, int capacity, int fragmentBytes) {
        this.store = store;
        this.capacity = Math.max(1, capacity);
        this.fragmentBytes = fragmentBytes;
    }

    /**
     * Sets a callback run each time a response is queued. It runs on the writing thread under the
     * store's locks: it must only schedule work (e.g. submit a drain task), never block or call back.
     */
    public void setResponseListener(Runnable listener) {
        this.responseListener = listener;
    }

    /** Dispatches a client request: create, cancel or progress. */
    public void handle(WatchRequest request) {
        switch (request.getRequestUnionCase()) {
            case CREATE_REQUEST -> create(request.getCreateRequest());
            case CANCEL_REQUEST -> cancel(request.getCancelRequest());
            case PROGRESS_REQUEST -> requestProgress();
            default -> {
            }
        }
    }

    /**
     * Creates a watcher and queues its created response.
     *
     * @return the watch id, or -1 if refused (empty range, duplicate id, closed stream)
     */
    public long create(WatchCreateRequest r) {
        KeyRange range = KeyRange.of(r.getKey().toByteArray(), r.getRangeEnd().toByteArray());
        boolean noPut = false;
        boolean noDelete = false;
        for (WatchCreateRequest.FilterType f : r.getFiltersList()) {
            noPut |= f == WatchCreateRequest.FilterType.NOPUT;
            noDelete |= f == WatchCreateRequest.FilterType.NODELETE;
        }
        store.mu.lock();
        try {
            long rev = store.notifiedRevLocked();
            WatchResponse.Builder created = WatchResponse.newBuilder().setHeader(header(rev)).setCreated(true);
            String refusal = null;
            if (!range.isSingleKey() && !range.isUnbounded()
                    && Arrays.compareUnsigned(range.key(), range.end()) >= 0) {
                refusal = WatchErrors.EMPTY_RANGE;
            } else if (r.getWatchId() != 0 && taken(r.getWatchId())) {
                refusal = WatchErrors.DUPLICATE_ID;
            } else if (closed) {
                refusal = "mvcc: watch stream closed";
            }
            if (refusal != null) {
                enqueue(created.setWatchId(ALL_WATCHES).setCanceled(true).setCancelReason(refusal).build(),
                        false, false);
                return -1;
            }
            long id = r.getWatchId();
            if (id == 0) {
                while (taken(nextId)) {
                    nextId++;
                }
                id = nextId++;
            }
            // a negative start is kept: etcd cancels it as compacted (see WatchableStore.chooseCandidates)
            long start = r.getStartRevision() == 0 ? rev + 1 : r.getStartRevision();
            Watcher w = new Watcher(id, this, range, noPut, noDelete, r.getPrevKv(), r.getProgressNotify(),
                    r.getFragment(), start);
            watchers.put(id, w);
            enqueue(created.setWatchId(id).build(), false, false);
            store.add(w);
            return id;
        } finally {
            store.mu.unlock();
        }
    }

    /**
     * Whether {@code id} names a watcher of this stream, or one cancelled for compaction that the
     * client has not cancelled yet: etcd 3.4.23 keeps such an id until then, so a create naming it
     * is refused as a duplicate and the server's own numbering skips it.
     */
    private boolean taken(long id) {
        return watchers.containsKey(id) || compactedIds.contains(id);
    }

    public boolean cancel(WatchCancelRequest r) {
        return cancel(r.getWatchId());
    }

    /**
     * Cancels a watcher and queues its canceled response (also for one already cancelled for
     * compaction, as etcd answers it); false (and no response) if unknown.
     */
    public boolean cancel(long watchId) {
        store.mu.lock();
        try {
            Watcher w = watchers.remove(watchId);
            if (w == null && !compactedIds.remove(watchId)) {
                return false;
            }
            if (w != null) {
                store.remove(w);
            }
            enqueue(WatchResponse.newBuilder().setHeader(header(store.notifiedRevLocked())).setWatchId(watchId)
                    .setCanceled(true).build(), false, false);
            maybeSendDeferredProgress();
            return true;
        } finally {
            store.mu.unlock();
        }
    }

    /**
     * A client's progress request: a response with watch id -1 and the last notified revision, at once
     * if every watcher of the stream is synced, else as soon as they all are (etcd 3.5's rule).
     */
    public void requestProgress() {
        store.mu.lock();
        try {
            if (unsyncedCount == 0) {
                enqueue(progress(ALL_WATCHES), false, false);
            } else {
                deferredProgress = true;
            }
        } finally {
            store.mu.unlock();
        }
    }

    /**
     * The periodic progress notification (etcd: every 10 minutes): each watcher created with
     * {@code progress_notify} that is synced and had no events since the previous tick gets an empty
     * response with the last notified revision (skipped if the buffer is full).
     */
    public void progressTick() {
        store.mu.lock();
        try {
            for (Watcher w : watchers.values()) {
                if (w.progressNotify && w.synced && !w.sentSinceTick) {
                    enqueue(progress(w.id), true, false);
                }
                w.sentSinceTick = false;
            }
        } finally {
            store.mu.unlock();
        }
    }

    private WatchResponse progress(long watchId) {
        return WatchResponse.newBuilder().setHeader(header(store.notifiedRevLocked())).setWatchId(watchId).build();
    }

    private ResponseHeader header(long rev) {
        return store.header(rev);
    }

    /** Watch ids currently registered. */
    public List<Long> watchIds() {
        store.mu.lock();
        try {
            return new ArrayList<>(watchers.keySet());
        } finally {
            store.mu.unlock();
        }
    }

    /** Cancels every watcher without queuing responses; later creates are refused. */
    @Override
    public void close() {
        store.mu.lock();
        try {
            closed = true;
            for (Watcher w : watchers.values()) {
                store.remove(w);
            }
            watchers.clear();
            compactedIds.clear();
        } finally {
            store.mu.unlock();
        }
    }

    // ------------------------------------------------------------------ called by the store under mu

    boolean hasRoom() {
        qlock.lock();
        try {
            return boundedItems < capacity;
        } finally {
            qlock.unlock();
        }
    }

    /** Responses queued and not yet polled (fragments of a polled response not counted). */
    int queuedCount() {
        qlock.lock();
        try {
            return queue.size() + fragments.size();
        } finally {
            qlock.unlock();
        }
    }

    /** Queues one events response for {@code w} if the buffer has room. */
    boolean offerEvents(Watcher w, List<Event> events, ResponseHeader header) {
        WatchResponse resp = WatchResponse.newBuilder().setHeader(header).setWatchId(w.id)
                .addAllEvents(events).build();
        if (!enqueue(resp, true, w.fragment)) {
            return false;
        }
        w.sentSinceTick = true;
        return true;
    }

    void compacted(Watcher w, long compactRev) {
        if (watchers.remove(w.id, w)) {
            compactedIds.add(w.id);
        }
        // etcd's compaction notice carries no revision: its header says revision 0
        enqueue(WatchResponse.newBuilder().setHeader(header(0)).setWatchId(w.id)
                .setCanceled(true).setCompactRevision(compactRev).build(), false, false);
        maybeSendDeferredProgress();
    }

    void watcherSynced() {
        maybeSendDeferredProgress();
    }

    private void maybeSendDeferredProgress() {
        if (deferredProgress && unsyncedCount == 0) {
            deferredProgress = false;
            enqueue(progress(ALL_WATCHES), false, false);
        }
    }

    private boolean enqueue(WatchResponse r, boolean bounded, boolean fragment) {
        qlock.lock();
        try {
            if (bounded) {
                if (boundedItems >= capacity) {
                    return false;
                }
                boundedItems++;
            }
            queue.add(new Item(r, bounded, fragment));
            available.signalAll();
        } finally {
            qlock.unlock();
        }
        Runnable l = responseListener;
        if (l != null) {
            l.run();
        }
        return true;
    }

    // ------------------------------------------------------------------ consumer side

    /** The next response to send, or null if none is queued. */
    public WatchResponse poll() {
        WatchResponse r;
        boolean freed;
        qlock.lock();
        try {
            if (!fragments.isEmpty()) {
                return fragments.poll();
            }
            Item item = queue.poll();
            if (item == null) {
                return null;
            }
            freed = item.bounded;
            if (freed) {
                boundedItems--;
            }
            r = item.response;
            if (item.fragment && fragmentBytes > 0) {
                fragments.addAll(WatchFragments.split(r, fragmentBytes));
                r = fragments.poll();
            }
        } finally {
            qlock.unlock();
        }
        if (freed && unsyncedCount > 0) {
            store.requestSync();
        }
        return r;
    }

    /** Like {@link #poll()} but waits up to {@code timeout} for a response. */
    public WatchResponse poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            WatchResponse r = poll();
            if (r != null) {
                return r;
            }
            qlock.lock();
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                if (queue.isEmpty() && fragments.isEmpty()) {
                    available.awaitNanos(left);
                }
            } finally {
                qlock.unlock();
            }
        }
    }
}
