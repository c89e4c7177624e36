package io.etcdj.mvcc;

import io.etcdj.mvcc.backend.Bucket;

/** A read transaction: holds the store's read lock from creation to {@link #end()}. */
final class StoreReadTxn implements TxnRead {
    private final KvStore store;
    private final long rev;
    private final long firstRev;
    private boolean ended;

    StoreReadTxn(KvStore store) {
        this.store = store;
        this.rev = store.currentRev;
        this.firstRev = store.compactMainRev;
    }

    @Override
    public long firstRev() {
        return firstRev;
    }

    @Override
    public long rev() {
        return rev;
    }

    @Override
    public RangeResult range(KeyRange range, RangeOptions options) {
        ensureOpen();
        ValueSource values = revs -> store.backend.multiGet(Bucket.KEY, KvStore.revisionKeys(revs));
        return RangeReader.range(store.index, values, rev, firstRev, range, options);
    }

    private void ensureOpen() {
        if (ended) {
            throw new IllegalStateException("read txn already ended");
        }
    }

    @Override
    public void end() {
        if (!ended) {
            ended = true;
            store.lock.readLock().unlock();
        }
    }
}
