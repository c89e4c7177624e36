package io.etcdj.mvcc.watch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongFunction;

import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.RangeOptions;
import io.etcdj.mvcc.TxnRead;
import io.etcdj.mvcc.WriteListener;

/**
 * etcd's watchable store: delivers the changes of a {@link KvStore} to watchers grouped in
 * {@link WatchStream}s.
 *
 * <h2>Wiring</h2>
 * Install this as the store's {@link WriteListener} (through the lessor's chain:
 * {@code store.setWriteListener(lessor.keyAttachments(watchable))}), and run the catch-up work: either
 * {@link WatchSyncLoop} (a thread you start and close) or call {@link #syncOnce()} yourself.
 *
 * <h2>How events flow</h2>
 * <ul>
 *   <li>Synced watchers get each revision from {@link #committed} on the writing thread: the events of
 *       one revision that match go into ONE response, queued without blocking. If the stream's buffer
 *       is full the watcher becomes a victim: it leaves the synced group keeping its {@code nextRev}
 *       (the revision it missed) and will be served from history.</li>
 *   <li>Unsynced watchers are served by {@link #syncOnce()} from {@link KvStore#events} in windows of
 *       at most {@code batchRevisions} revisions (one response per window), and join the synced group
 *       once they have everything up to the last notified revision. A watcher whose {@code nextRev}
 *       is below the compaction revision is cancelled with {@code compact_revision}.</li>
 * </ul>
 * Guarantees: per watcher, revisions arrive in order, each at most once, without gaps (the
 * {@link Watcher} invariant), each revision's events in one response (fragmented only if the client
 * asked); a progress response with revision R means every later event has revision &gt; R.
 *
 * <h2>Locking</h2>
 * One lock ({@code mu}). Order: the KV store's lock, then {@code mu}, then a stream's queue lock. The
 * history reads of {@link #syncOnce()} happen outside {@code mu}; a watcher that joins the synced group
 * is guarded against seeing a revision twice by {@code nextRev} (revisions below it are skipped).
 */
public final class WatchableStore implements WriteListener {
    /** etcd's watchBatchMaxRevs: revisions per catch-up response. */
    public static final int DEFAULT_BATCH_REVISIONS = 1000;
    /** etcd's maxWatchersPerSync. */
    public static final int DEFAULT_WATCHERS_PER_SYNC = 512;

    private volatile KvStore store;
    /** Makes every response's header from its revision: see {@link #setResponseHeaders}. */
    private volatile LongFunction<ResponseHeader> headers = WatchableStore::revisionOnly;
    private final int batchRevisions;
    private final int watchersPerSync;

    final ReentrantLock mu = new ReentrantLock();
    private final SyncedWatchers synced = new SyncedWatchers();
    private final Set<Watcher> unsynced = new LinkedHashSet<>();
    /** The last revision handed to {@link #committed} (or the store's revision when created). */
    private long notifiedRev;
    /** How many times {@link #committed} ran: tells a watcher whether this call served it already. */
    private long commits;

    private final ReentrantLock syncMutex = new ReentrantLock();
    private final ReentrantLock signalLock = new ReentrantLock();
    private final Condition signal = signalLock.newCondition();
    private boolean syncRequested;

    public WatchableStore(KvStore store) {
        this(store, DEFAULT_BATCH_REVISIONS, DEFAULT_WATCHERS_PER_SYNC);
    }

    public WatchableStore(KvStore store, int batchRevisions, int watchersPerSync) {
        this.store = store;
        this.batchRevisions = batchRevisions;
        this.watchersPerSync = watchersPerSync;
        this.notifiedRev = store.rev();
    }

    /**
     * A new stream whose buffer holds at most {@code capacity} event/progress responses (etcd: 128);
     * control responses (created, canceled) are never refused. Responses bigger than
     * {@code fragmentBytes} are split for watchers that asked for fragments.
     */
    public WatchStream newStream(int capacity, int fragmentBytes) {
        return new WatchStream(this, capacity, fragmentBytes);
    }

    /**
     * How responses get their headers: by default only the revision is set; a server installs its
     * own (cluster id, member id, raft term too) so that each response is built once, complete.
     */
    public void setResponseHeaders(LongFunction<ResponseHeader> headers) {
        this.headers = headers;
    }

    ResponseHeader header(long revision) {
        return headers.apply(revision);
    }

    private static ResponseHeader revisionOnly(long revision) {
        return ResponseHeader.newBuilder().setRevision(revision).build();
    }

    /** The last revision delivered to synced watchers (what progress notifications report). */
    public long notifiedRevision() {
        mu.lock();
        try {
            return notifiedRev;
        } finally {
            mu.unlock();
        }
    }

    /**
     * Switches to {@code newStore} (after a snapshot from the leader replaced the backend): every
     * watcher becomes unsynced keeping its next revision and is served from the new store's history
     * (or cancelled if that is compacted). Install this as {@code newStore}'s listener before it
     * applies anything.
     */
    public void restore(KvStore newStore) {
        syncMutex.lock();
        mu.lock();
        try {
            store = newStore;
            notifiedRev = newStore.rev();
            for (Watcher w : synced.all()) {
                makeUnsynced(w);
            }
        } finally {
            mu.unlock();
            syncMutex.unlock();
        }
    }

    // ------------------------------------------------------------------ live events

    @Override
    public void committed(long revision, List<Event> events) {
        mu.lock();
        try {
            notifiedRev = revision;
            if (synced.isEmpty()) {
                return;
            }
            ResponseHeader header = null; // made on the first response: one for every watcher
            List<Event> withPrev = null; // read once, only if a watcher asked for prev_kv
            List<Watcher> victims = null; // buffers full: unsynced after the loop (it walks the synced group)
            long call = ++commits;
            for (Event e : events) {
                for (Watcher w : synced.matching(e.getKv().getKey())) {
                    if (w.servedCommit == call) {
                        continue; // an earlier event of this revision already served it
                    }
                    w.servedCommit = call;
                    if (w.prevKv && withPrev == null) {
                        withPrev = withPrevKv(events);
                    }
                    List<Event> mine = w.select(w.prevKv ? withPrev : events);
                    if (mine.isEmpty()) {
                        continue;
                    }
                    if (header == null) {
                        header = header(revision);
                    }
                    if (w.stream.offerEvents(w, mine, header)) {
                        w.nextRev = revision + 1;
                    } else {
                        w.nextRev = Math.min(w.nextRev, revision);
                        if (victims == null) {
                            victims = new ArrayList<>();
                        }
                        victims.add(w);
                    }
                }
            }
            if (victims != null) {
                victims.forEach(this::makeUnsynced);
            }
        } finally {
            mu.unlock();
        }
    }

    // ------------------------------------------------------------------ watcher lifecycle (called by streams under mu)

    /** Registers {@code w}: synced if it starts after the last notified revision, else unsynced. */
    void add(Watcher w) {
        if (w.nextRev > notifiedRev) {
            w.synced = true;
            synced.add(w);
        } else {
            makeUnsynced(w);
        }
    }

    void remove(Watcher w) {
        w.canceled = true;
        if (w.synced) {
            synced.remove(w);
        } else if (unsynced.remove(w)) {
            w.stream.unsyncedCount--;
        }
    }

    private void makeUnsynced(Watcher w) {
        if (w.synced) {
            synced.remove(w);
            w.synced = false;
        }
        if (unsynced.add(w)) {
            w.stream.unsyncedCount++;
        }
        requestSync();
    }

    private void makeSynced(Watcher w) {
        if (unsynced.remove(w)) {
            w.stream.unsyncedCount--;
        }
        w.synced = true;
        synced.add(w);
        w.stream.watcherSynced();
    }

    long notifiedRevLocked() {
        return notifiedRev;
    }

    // ------------------------------------------------------------------ catch-up

    private record Candidate(Watcher watcher, long nextRev) {
    }

    /**
     * One bounded pass over the unsynced watchers: cancels compacted ones, lets caught-up ones join the
     * synced group, and serves up to {@code watchersPerSync} others one history window each (watchers
     * whose stream buffer is full are skipped). Passes never run concurrently.
     *
     * @return whether unsynced watchers that could progress remain (call again without waiting)
     */
    public boolean syncOnce() {
        syncMutex.lock();
        try {
            List<Candidate> candidates = chooseCandidates();
            candidates.sort(Comparator.comparingLong(Candidate::nextRev));
            if (!candidates.isEmpty() && candidates.get(0).nextRev < 0) {
                // etcd reads a pass's history from the smallest start among its watchers, encoded as
                // an unsigned revision: a negative start (never compacted, so not canceled) makes that
                // window empty, and every watcher of the pass joins the synced group without history
                mu.lock();
                try {
                    serve(candidates, List.of(), notifiedRev);
                } finally {
                    mu.unlock();
                }
                candidates = List.of();
            }
            int i = 0;
            while (i < candidates.size()) {
                long from = candidates.get(i).nextRev;
                long to;
                mu.lock();
                try {
                    to = Math.min(notifiedRev, from + batchRevisions - 1);
                } finally {
                    mu.unlock();
                }
                int j = i;
                boolean wantPrev = false;
                while (j < candidates.size() && candidates.get(j).nextRev <= to) {
                    wantPrev |= candidates.get(j).watcher.prevKv;
                    j++;
                }
                List<Event> events;
                try {
                    events = store.events(Math.max(1, from), to);
                } catch (MvccException compacted) {
                    return true; // compacted meanwhile: the next pass cancels these watchers
                }
                if (wantPrev) {
                    events = withPrevKv(events);
                }
                serve(candidates.subList(i, j), events, to);
                i = j;
            }
            mu.lock();
            try {
                for (Watcher w : unsynced) {
                    if (w.stream.hasRoom()) {
                        return true;
                    }
                }
                return false;
            } finally {
                mu.unlock();
            }
        } finally {
            syncMutex.unlock();
        }
    }

    private List<Candidate> chooseCandidates() {
        List<Candidate> out = new ArrayList<>();
        mu.lock();
        try {
            // -1 until the first compaction, as etcd's: a watch asking to start below it (any start
            // under -1) is canceled as compacted with compact_revision -1
            long compactRev = store.compactRevision();
            for (Watcher w : new ArrayList<>(unsynced)) {
                if (w.nextRev < compactRev) {
                    remove(w);
                    w.stream.compacted(w, compactRev);
                } else if (w.nextRev > notifiedRev) {
                    makeSynced(w);
                } else if (out.size() < watchersPerSync && w.stream.hasRoom()) {
                    out.add(new Candidate(w, w.nextRev));
                }
            }
        } finally {
            mu.unlock();
        }
        return out;
    }

    private void serve(List<Candidate> group, List<Event> events, long to) {
        mu.lock();
        try {
            ResponseHeader header = header(notifiedRev);
            for (Candidate c : group) {
                Watcher w = c.watcher;
                if (w.canceled || w.synced || w.nextRev != c.nextRev) {
                    continue;
                }
                List<Event> mine = w.select(events);
                if (mine.isEmpty() || w.stream.offerEvents(w, mine, header)) {
                    w.nextRev = to + 1;
                }
                if (w.nextRev > notifiedRev) {
                    makeSynced(w);
                }
            }
        } finally {
            mu.unlock();
        }
    }

    /** Fills prev_kv of events, live or from history, from the store (skipped where compacted or a creation). */
    private List<Event> withPrevKv(List<Event> events) {
        List<Event> out = new ArrayList<>(events.size());
        try (TxnRead txn = store.read()) {
            for (Event e : events) {
                KeyValue kv = e.getKv();
                long before = kv.getModRevision() - 1;
                boolean create = e.getType() == Event.EventType.PUT && kv.getVersion() == 1;
                if (create || before <= 0 || e.hasPrevKv()) {
                    out.add(e);
                    continue;
                }
                try {
                    List<KeyValue> prev = txn.range(KeyRange.single(kv.getKey().toByteArray()),
                            RangeOptions.atRevision(before)).kvs();
                    out.add(prev.isEmpty() ? e : e.toBuilder().setPrevKv(prev.get(0)).build());
                } catch (MvccException compacted) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ signalling the sync loop

    /** Asks the sync loop to run a pass soon (cheap; callable under any lock). */
    void requestSync() {
        signalLock.lock();
        try {
            syncRequested = true;
            signal.signalAll();
        } finally {
            signalLock.unlock();
        }
    }

    /**
     * Waits until a sync pass was requested or {@code timeoutNanos} passed, and clears the request.
     *
     * @return whether a pass was requested
     */
    boolean awaitSyncRequest(long timeoutNanos) throws InterruptedException {
        signalLock.lock();
        try {
            long left = timeoutNanos;
            while (!syncRequested && left > 0) {
                left = signal.awaitNanos(left);
            }
            boolean r = syncRequested;
            syncRequested = false;
            return r;
        } finally {
            signalLock.unlock();
        }
    }

    /** Number of watchers registered, synced or not (etcd's etcd_debugging_mvcc_watcher_total). */
    public int watcherCount() {
        mu.lock();
        try {
            return synced.size() + unsynced.size();
        } finally {
            mu.unlock();
        }
    }

    /** Number of unsynced watchers (for tests and metrics). */
    public int unsyncedCount() {
        mu.lock();
        try {
            return unsynced.size();
        } finally {
            mu.unlock();
        }
    }
}
