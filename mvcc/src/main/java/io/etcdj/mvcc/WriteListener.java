package io.etcdj.mvcc;

import java.util.List;

import io.etcdj.api.mvccpb.Event;

/**
 * Receives every committed write transaction that changed keys, in revision order, on the writing
 * thread, while the store's write lock is still held (so no reader sees the revision before the
 * listener has it). Must not block and must not use the store's write path.
 */
@FunctionalInterface
public interface WriteListener {
    /**
     * @param revision the main revision of all {@code events}
     * @param events all changes of that revision in sub-revision order: PUT with the new kv, DELETE with
     *     a kv holding only the key and {@code mod_revision = revision}; {@code prev_kv} is never set
     *     (reading it costs a backend read per change, and few listeners need it): a listener that
     *     does reads the key at {@code revision - 1}
     */
    void committed(long revision, List<Event> events);
}
