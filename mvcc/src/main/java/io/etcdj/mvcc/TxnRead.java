package io.etcdj.mvcc;

/** A read transaction: a {@link ReadView} that holds the store's read lock until {@link #end()}. */
public interface TxnRead extends ReadView, AutoCloseable {
    void end();

    @Override
    default void close() {
        end();
    }
}
