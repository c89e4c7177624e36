package io.etcdj.mvcc.backend;

import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * Writes collected for one atomic commit ({@link Backend#commit}). Not thread-safe; use it from one
 * thread, commit it once, then it is closed.
 */
public final class BackendBatch implements AutoCloseable {
    private final Backend backend;
    final WriteBatch batch = new WriteBatch();
    private int operations;
    private boolean closed;

    BackendBatch(Backend backend) {
        this.backend = backend;
    }

    public BackendBatch put(Bucket bucket, byte[] key, byte[] value) {
        ensureOpen();
        try {
            batch.put(backend.handle(bucket), key, value);
        } catch (RocksDBException e) {
            throw new BackendException("batch put", e);
        }
        operations++;
        return this;
    }

    public BackendBatch delete(Bucket bucket, byte[] key) {
        ensureOpen();
        try {
            batch.delete(backend.handle(bucket), key);
        } catch (RocksDBException e) {
            throw new BackendException("batch delete", e);
        }
        operations++;
        return this;
    }

    /** Number of puts and deletes so far. */
    public int size() {
        return operations;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("batch already committed or closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            batch.close();
        }
    }
}
