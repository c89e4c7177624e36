package io.etcdj.mvcc.index;

import java.util.Set;

import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.Revision;

/**
 * The in-memory index from user keys to their revision history ({@link KeyIndex} generations).
 * Implementations are not thread-safe; the store guards them with its read/write lock.
 */
public interface RevisionIndex {

    /** The key as of {@code atRev}, or null if it was absent or deleted then. */
    KeyRevision get(byte[] key, long atRev);

    /**
     * The keys of {@code range} live at {@code atRev} in key order, at most {@code limit} of them
     * ({@code limit <= 0}: all), and the total number of live keys in the range.
     */
    IndexRange range(KeyRange range, long atRev, int limit);

    /** The number of keys of {@code range} live at {@code atRev}. */
    int count(KeyRange range, long atRev);

    /** Records a put of {@code key} at {@code rev} (newer than anything recorded). */
    void put(byte[] key, Revision rev);

    /** Records a deletion of the live {@code key} at {@code rev}. */
    void tombstone(byte[] key, Revision rev);

    /** Rebuild from the backend: a stored put whose older history may have been compacted. */
    void restore(byte[] key, Revision created, Revision modified, long version);

    /** Rebuild from the backend: a stored tombstone; ignored when the key is not live (half-compacted). */
    void restoreTombstone(byte[] key, Revision rev);

    /**
     * Compacts every key at {@code atRev} (see {@link KeyIndex#compact}) and drops keys left without
     * history. Returns the revisions at or below {@code atRev} that must be kept in the backend.
     */
    Set<Revision> compact(long atRev);

    /** The revisions a compaction at {@code atRev} would keep; changes nothing. */
    Set<Revision> keep(long atRev);

    /** Number of keys with any recorded history (live or not yet compacted away). */
    int size();
}
