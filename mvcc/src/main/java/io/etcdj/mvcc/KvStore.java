package io.etcdj.mvcc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;

import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.BackendBatch;
import io.etcdj.mvcc.backend.BackendSnapshot;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.mvcc.backend.MetaKeys;
import io.etcdj.mvcc.index.RevisionIndex;
import io.etcdj.mvcc.index.TreeRevisionIndex;

/**
 * The multi-version key-value store: an in-memory {@link RevisionIndex} over the {@code key} bucket of a
 * {@link Backend}.
 *
 * <h2>Concurrency</h2>
 * One read/write lock: {@link #read()} takes the read lock, {@link #write()} the write lock, each until
 * the txn ends. Writes are expected from one thread (the applier). Physical compaction runs on a
 * store-owned background thread (created on the first compaction) in small batches, without the lock.
 *
 * <h2>Invariants</h2>
 * As in etcd, an empty store is at revision 1 (the first write gets revision 2) and has compaction
 * revision -1 (never compacted; a compaction at 0 or 1 is accepted once).
 * {@code compactMainRev <= currentRev}; every revision reachable through the index for reads at
 * {@code rev >= compactMainRev} is stored in the backend; a write txn with changes gets main revision
 * {@code currentRev + 1}.
 */
public final class KvStore implements AutoCloseable {
    final Backend backend;
    final RevisionIndex index = new TreeRevisionIndex();
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    volatile long currentRev;
    volatile long compactMainRev;
    volatile WriteListener listener;
    private volatile RuntimeException failure;
    private volatile boolean closing;
    private ExecutorService compactor;
    private CompletableFuture<Void> lastCompaction = CompletableFuture.completedFuture(null);

    private final CompactionPacing compactionPacing;

    private KvStore(Backend backend, CompactionPacing compactionPacing) {
        this.backend = backend;
        this.compactionPacing = compactionPacing;
    }

    /**
     * Opens the store over {@code backend}: rebuilds the index and revisions from the {@code key} bucket,
     * restores the compaction revision, and resumes an unfinished compaction (see
     * {@link #pendingCompaction()}).
     */
    public static KvStore open(Backend backend) {
        return open(backend, CompactionPacing.DEFAULTS);
    }

    /** As {@link #open(Backend)}, with physical compactions paced as given. */
    public static KvStore open(Backend backend, CompactionPacing compactionPacing) {
        KvStore s = new KvStore(backend, compactionPacing);
        s.restore();
        return s;
    }

    private void restore() {
        long[] last = {0};
        backend.forEach(Bucket.KEY, null, null, (k, v) -> {
            Revision rev = Revision.fromBytes(k);
            KeyValue kv = RangeReader.decode(v, rev);
            byte[] key = kv.getKey().toByteArray();
            if (Revision.isTombstone(k)) {
                index.restoreTombstone(key, rev);
            } else {
                index.restore(key, Revision.of(kv.getCreateRevision()), rev, kv.getVersion());
            }
            last[0] = rev.main();
            return true;
        });
        long finished = metaRevision(MetaKeys.FINISHED_COMPACT_REV);
        long scheduled = metaRevision(MetaKeys.SCHEDULED_COMPACT_REV);
        compactMainRev = finished;
        currentRev = Math.max(Math.max(1, last[0]), Math.max(finished, scheduled));
        if (scheduled > finished) {
            compactMainRev = scheduled;
            Set<Revision> keep = index.compact(scheduled);
            lastCompaction = schedulePhysical(scheduled, keep);
        }
    }

    /** The stored revision, or -1 (etcd's "never compacted") when absent. */
    private long metaRevision(byte[] key) {
        byte[] v = backend.get(Bucket.META, key);
        return v == null ? -1 : Revision.fromBytes(v).main();
    }

    /** Sets the listener that receives every committed change (null: none). */
    public void setWriteListener(WriteListener listener) {
        this.listener = listener;
    }

    public Backend backend() {
        return backend;
    }

    /** The current (latest committed) revision. */
    public long rev() {
        return currentRev;
    }

    /** The compaction revision (-1: never compacted): reads below it are refused. */
    public long compactRevision() {
        return compactMainRev;
    }

    /** Starts a read transaction; end (close) it promptly, writers wait for it. */
    public TxnRead read() {
        checkHealthy();
        lock.readLock().lock();
        return new StoreReadTxn(this);
    }

    /** Starts a write transaction; end it to commit. Only one exists at a time. */
    public TxnWrite write() {
        checkHealthy();
        lock.writeLock().lock();
        return new StoreWriteTxn(this);
    }

    /**
     * Compacts at {@code rev}: from now on reads below {@code rev} fail; the index is compacted at once
     * and the scheduled revision persisted (with the consistent index); the superseded revisions are
     * deleted from the backend in the background. The returned future completes when that physical
     * deletion has finished.
     *
     * @throws MvccException compacted if {@code rev <= compactRevision()}, future if {@code rev > rev()}
     */
    public CompletableFuture<Void> compact(long rev) {
        checkHealthy();
        Set<Revision> keep;
        lock.writeLock().lock();
        try {
            if (rev <= compactMainRev) {
                throw MvccException.compacted();
            }
            if (rev > currentRev) {
                throw MvccException.futureRevision();
            }
            BackendBatch batch = backend.newBatch();
            batch.put(Bucket.META, MetaKeys.SCHEDULED_COMPACT_REV, Revision.of(rev).toBytes());
            backend.commit(batch);
            compactMainRev = rev;
            keep = index.compact(rev);
        } finally {
            lock.writeLock().unlock();
        }
        return schedulePhysical(rev, keep);
    }

    /** Completes when the last scheduled physical compaction (also one resumed on open) has finished. */
    public synchronized CompletableFuture<Void> pendingCompaction() {
        return lastCompaction;
    }

    private synchronized CompletableFuture<Void> schedulePhysical(long rev, Set<Revision> keep) {
        if (compactor == null) {
            compactor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "mvcc-compactor");
                t.setDaemon(true);
                return t;
            });
        }
        lastCompaction = CompletableFuture.runAsync(new PhysicalCompaction(backend, rev, keep, compactionPacing,
                () -> closing),
                compactor);
        return lastCompaction;
    }

    /**
     * etcd's HashKV: CRC-32C of the bucket name {@code "key"} followed by every stored revision key and
     * value with main revision {@code <= rev} (0: the current revision) in revision order, skipping
     * revisions at or below the compaction revision that a compaction at {@code rev} would not keep —
     * unless it would keep nothing at all, when etcd skips none of them (its "don't skip if there
     * isn't one"; then a store whose physical compaction is unfinished hashes differently, in etcd too).
     * Identical on every store with the same history, whether or not its physical compaction finished.
     *
     * @throws MvccException compacted if {@code 0 < rev <= compactRevision()}, future if {@code rev > rev()}
     */
    public HashKvResult hashKv(long rev) {
        checkHealthy();
        long compactRev;
        long cur;
        Set<Revision> keep;
        BackendSnapshot snap;
        lock.readLock().lock();
        try {
            compactRev = compactMainRev;
            cur = currentRev;
            if (rev > 0 && rev <= compactRev) {
                throw MvccException.compacted();
            }
            if (rev > cur) {
                throw MvccException.futureRevision();
            }
            if (rev <= 0) {
                rev = cur;
            }
            keep = index.keep(rev);
            snap = backend.snapshot();
        } finally {
            lock.readLock().unlock();
        }
        CRC32C crc = new CRC32C();
        crc.update(Bucket.KEY.nameBytes());
        try (snap) {
            snap.forEach(Bucket.KEY, null, Revision.of(rev + 1).toBytes(), (k, v) -> {
                Revision r = Revision.fromBytes(k);
                if (r.main() <= compactRev && !keep.isEmpty() && !keep.contains(r)) {
                    return true;
                }
                crc.update(k);
                crc.update(v);
                return true;
            });
        }
        return new HashKvResult((int) crc.getValue(), cur, compactRev);
    }

    /**
     * The changes of revisions {@code fromRev..toRev} (inclusive) as events in revision order, read from
     * the backend (for watchers catching up). DELETE events carry the key and its deletion revision;
     * {@code prev_kv} is not filled.
     *
     * @throws MvccException compacted if {@code fromRev < compactRevision()}
     */
    public List<Event> events(long fromRev, long toRev) {
        checkHealthy();
        lock.readLock().lock();
        try {
            if (fromRev < compactMainRev) {
                throw MvccException.compacted();
            }
            List<Event> out = new ArrayList<>();
            long to = Math.min(toRev, currentRev);
            if (to < fromRev) {
                return out;
            }
            backend.forEach(Bucket.KEY, Revision.of(Math.max(fromRev, 0)).toBytes(),
                    Revision.of(to + 1).toBytes(), (k, v) -> {
                        Revision r = Revision.fromBytes(k);
                        KeyValue kv = RangeReader.decode(v, r);
                        if (Revision.isTombstone(k)) {
                            out.add(Event.newBuilder().setType(Event.EventType.DELETE)
                                    .setKv(kv.toBuilder().setModRevision(r.main())).build());
                        } else {
                            out.add(Event.newBuilder().setType(Event.EventType.PUT).setKv(kv).build());
                        }
                        return true;
                    });
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    static List<byte[]> revisionKeys(List<Revision> revs) {
        List<byte[]> keys = new ArrayList<>(revs.size());
        for (Revision r : revs) {
            keys.add(r.toBytes());
        }
        return keys;
    }

    void fail(RuntimeException e) {
        failure = e;
    }

    private void checkHealthy() {
        RuntimeException f = failure;
        if (f != null) {
            throw new IllegalStateException("mvcc store failed earlier and must be reopened", f);
        }
    }

    /**
     * Stops the compaction thread: a running physical compaction stops after its current batch and is
     * resumed on the next open. Waits for that, so the backend can be closed afterwards. Does not close
     * the backend.
     */
    @Override
    public synchronized void close() {
        closing = true;
        if (compactor != null) {
            compactor.shutdown();
            boolean interrupted = false;
            while (true) {
                try {
                    if (compactor.awaitTermination(1, TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
