package io.etcdj.mvcc;

import io.etcdj.mvcc.backend.BackendBatch;

/**
 * A write transaction: holds the store's write lock until {@link #end()}, which commits every change in
 * one atomic backend batch (with the consistent index), then publishes the changes to the
 * {@link WriteListener}. Reads inside see the txn's own changes.
 */
public interface TxnWrite extends TxnRead, WriteView {
    /**
     * The batch this txn commits; other schema layers (lease, auth) may add their writes so that they
     * commit atomically with this txn's changes. Use it only before {@link #end()}.
     */
    BackendBatch batch();

    /**
     * Ends the txn without committing anything. If it had already made changes, the in-memory index no
     * longer matches the backend: the store is marked failed and must be reopened (etcd panics here).
     */
    void abort();
}
