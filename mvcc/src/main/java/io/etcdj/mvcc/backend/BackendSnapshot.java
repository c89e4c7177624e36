package io.etcdj.mvcc.backend;

import org.rocksdb.Snapshot;

/** A frozen view of the committed state, for long scans (hashing) that must not block writers. */
public final class BackendSnapshot implements AutoCloseable {
    private final Backend backend;
    final Snapshot snapshot;

    BackendSnapshot(Backend backend, Snapshot snapshot) {
        this.backend = backend;
        this.snapshot = snapshot;
    }

    /** Like {@link Backend#forEach}, over this snapshot. */
    public void forEach(Bucket bucket, byte[] from, byte[] to, KeyValueVisitor visitor) {
        backend.scan(snapshot, bucket, from, to, visitor);
    }

    @Override
    public void close() {
        backend.release(this);
    }
}
