package io.etcdj.mvcc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.UnsafeByteOperations;

import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.backend.BackendBatch;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.mvcc.index.KeyRevision;

/**
 * A write transaction: holds the store's write lock from creation to {@link #end()}. The index is
 * updated as changes are made (readers are locked out); values not yet committed are served from
 * {@link #pending}. Every change gets revision {@code (beginRev + 1, n)} for the n-th change.
 */
final class StoreWriteTxn implements TxnWrite {
    private final KvStore store;
    private final long beginRev;
    private final BackendBatch batch;
    private final Map<Revision, byte[]> pending = new HashMap<>();
    private final List<Event> changes = new ArrayList<>();
    private boolean ended;

    StoreWriteTxn(KvStore store) {
        this.store = store;
        this.beginRev = store.currentRev;
        this.batch = store.backend.newBatch();
    }

    private long txnRev() {
        return beginRev + 1;
    }

    @Override
    public long firstRev() {
        return store.compactMainRev;
    }

    @Override
    public long rev() {
        return changes.isEmpty() ? beginRev : beginRev + 1;
    }

    @Override
    public RangeResult range(KeyRange range, RangeOptions options) {
        ensureOpen();
        return RangeReader.range(store.index, this::values, rev(), store.compactMainRev, range, options);
    }

    private List<byte[]> values(List<Revision> revs) {
        List<byte[]> out = new ArrayList<>(Collections.nCopies(revs.size(), null));
        List<Revision> committed = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < revs.size(); i++) {
            byte[] p = pending.get(revs.get(i));
            if (p != null) {
                out.set(i, p);
            } else {
                committed.add(revs.get(i));
                at.add(i);
            }
        }
        List<byte[]> fetched = store.backend.multiGet(Bucket.KEY, KvStore.revisionKeys(committed));
        for (int j = 0; j < at.size(); j++) {
            out.set(at.get(j), fetched.get(j));
        }
        return out;
    }

    @Override
    public long put(byte[] key, byte[] value, long lease) {
        ensureOpen();
        Revision rev = new Revision(txnRev(), changes.size());
        KeyRevision existing = store.index.get(key, txnRev());
        long created = existing == null ? rev.main() : existing.created().main();
        long version = existing == null ? 1 : existing.version() + 1;
        // the txn owns both arrays (WriteView#put), so the event, the index and the lessor's
        // attachment (which keeps the event's key) share one copy of a key that already exists
        byte[] sharedKey = existing == null ? key : existing.key();
        KeyValue kv = KeyValue.newBuilder()
                .setKey(UnsafeByteOperations.unsafeWrap(sharedKey))
                .setCreateRevision(created)
                .setModRevision(rev.main())
                .setVersion(version)
                .setValue(UnsafeByteOperations.unsafeWrap(value))
                .setLease(lease)
                .build();
        byte[] bytes = kv.toByteArray();
        Event.Builder ev = Event.newBuilder().setType(Event.EventType.PUT).setKv(kv);
        batch.put(Bucket.KEY, rev.toBytes(), bytes);
        pending.put(rev, bytes);
        store.index.put(key, rev);
        changes.add(ev.build());
        return rev.main();
    }

    @Override
    public DeleteResult deleteRange(KeyRange range) {
        ensureOpen();
        List<KeyRevision> live = store.index.range(range, txnRev(), 0).keys();
        for (KeyRevision kr : live) {
            delete(kr);
        }
        if (!live.isEmpty() || !changes.isEmpty()) {
            return new DeleteResult(live.size(), txnRev());
        }
        return new DeleteResult(0, beginRev);
    }

    private void delete(KeyRevision existing) {
        Revision rev = new Revision(txnRev(), changes.size());
        KeyValue tombstone = KeyValue.newBuilder().setKey(UnsafeByteOperations.unsafeWrap(existing.key())).build();
        Event.Builder ev = Event.newBuilder()
                .setType(Event.EventType.DELETE)
                .setKv(tombstone.toBuilder().setModRevision(rev.main()));
        byte[] bytes = tombstone.toByteArray();
        batch.put(Bucket.KEY, rev.toTombstoneBytes(), bytes);
        pending.put(rev, bytes);
        store.index.tombstone(existing.key(), rev);
        changes.add(ev.build());
    }

    @Override
    public List<Event> changes() {
        return Collections.unmodifiableList(changes);
    }

    @Override
    public BackendBatch batch() {
        ensureOpen();
        return batch;
    }

    private void ensureOpen() {
        if (ended) {
            throw new IllegalStateException("write txn already ended");
        }
    }

    @Override
    public void abort() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            batch.close();
            if (!changes.isEmpty()) {
                store.fail(new IllegalStateException("write txn aborted after changing the index"));
            }
        } finally {
            store.lock.writeLock().unlock();
        }
    }

    @Override
    public void end() {
        if (ended) {
            return;
        }
        ended = true;
        try {
            if (batch.size() > 0) {
                try {
                    store.backend.commit(batch);
                } catch (RuntimeException e) {
                    store.fail(e);
                    throw e;
                }
            } else {
                batch.close();
            }
            if (!changes.isEmpty()) {
                store.currentRev = txnRev();
                WriteListener l = store.listener;
                if (l != null) {
                    l.committed(txnRev(), List.copyOf(changes));
                }
            }
        } finally {
            store.lock.writeLock().unlock();
        }
    }
}
