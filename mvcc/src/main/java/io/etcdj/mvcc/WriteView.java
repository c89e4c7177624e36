package io.etcdj.mvcc;

import java.util.List;

import io.etcdj.api.mvccpb.Event;

/**
 * Changes inside one write transaction. All changes share one main revision ({@code rev()+1} of the
 * store before the txn) with sub revisions 0, 1, 2, ... in call order.
 */
public interface WriteView {
    /**
     * Puts {@code key}; returns the txn's revision. The txn takes both arrays as they are (its
     * events and the key index hold them): the caller never changes them afterwards.
     */
    long put(byte[] key, byte[] value, long lease);

    /** Deletes the live keys of {@code range}; returns how many, and the revision (see {@link DeleteResult}). */
    DeleteResult deleteRange(KeyRange range);

    /** The changes so far as events (kv; prev_kv where the key existed), in sub-revision order. */
    List<Event> changes();

    /**
     * @param deleted keys deleted
     * @param rev the txn's revision when this txn changed anything so far, else the unchanged store revision
     */
    record DeleteResult(long deleted, long rev) {
    }
}
