package io.etcdj.mvcc.index;

import java.util.Set;

import io.etcdj.mvcc.Revision;

/**
 * The revision history of one key as a sequence of generations, oldest first. A generation is one life
 * of the key: from its creation to its deletion (tombstone) or to now. Per generation the index knows
 * its revisions (strictly increasing), its creation revision and the key's version at its last revision
 * (compaction trims old revisions from the front but never changes the version, so the version at the
 * i-th of n revisions is {@code version - (n - 1 - i)}).
 *
 * <p>Invariants: there is at least one generation; only the last generation may be empty (it is empty
 * exactly when the key is currently deleted); every generation but the last ends with a tombstone.
 *
 * <p>The index holds one entry per key, so its heap footprint is mostly this class: there are two
 * representations, and every change returns the one that now holds the key's history (this object,
 * changed in place, or a replacement); the caller stores what is returned.
 * <ul>
 *   <li>{@link SingleRevisionKeyIndex}: one live generation with one revision, in plain fields — the
 *       shape of most keys (put once, or compacted down to their current value);</li>
 *   <li>{@link MultiRevisionKeyIndex}: any history, in primitive arrays.</li>
 * </ul>
 *
 * <p>Sub-revisions are stored as {@code int}: a write transaction numbers its changes with an
 * {@code int} (a list's size), so no recorded revision has a larger sub; a larger one is rejected with
 * an {@link ArithmeticException}. Not thread-safe: guarded by the owning store's lock.
 */
abstract sealed class KeyIndex permits SingleRevisionKeyIndex, MultiRevisionKeyIndex {
    final byte[] key;

    KeyIndex(byte[] key) {
        this.key = key;
    }

    /** A key whose history starts with a put at {@code rev}. */
    static KeyIndex ofPut(byte[] key, Revision rev) {
        return new SingleRevisionKeyIndex(key, rev.main(), sub(rev), rev.main(), sub(rev), 1);
    }

    /** A key whose history, rebuilt from the backend, starts with a stored put (see {@link #restore}). */
    static KeyIndex ofRestore(byte[] key, Revision created, Revision modified, long version) {
        return new SingleRevisionKeyIndex(key, modified.main(), sub(modified), created.main(), sub(created),
                version);
    }

    /** A key with no history yet: one empty generation. */
    static KeyIndex empty(byte[] key) {
        return new MultiRevisionKeyIndex(key);
    }

    static int sub(Revision rev) {
        return Math.toIntExact(rev.sub());
    }

    /**
     * Records a put at {@code rev}, which must be newer than the current generation's last revision
     * ({@link IllegalStateException} otherwise, and nothing changes).
     */
    abstract KeyIndex put(Revision rev);

    /**
     * Records a put found while rebuilding from the backend, where older revisions may already have been
     * compacted away: a generation started here takes its creation from the stored value, and the
     * generation's version becomes the stored one.
     */
    abstract KeyIndex restore(Revision created, Revision modified, long version);

    /**
     * Records a deletion at {@code rev}; the key must be live ({@link IllegalStateException} otherwise).
     * Ends the current generation with the tombstone and opens a new, empty one.
     */
    abstract KeyIndex tombstone(Revision rev);

    /** True when the current generation is not empty. */
    abstract boolean isLive();

    /** The key as of revision {@code atRev}, or null if it did not exist (or was deleted) then. */
    abstract KeyRevision get(long atRev);

    /**
     * Adds to {@code keep} the revision a compaction at {@code atRev} would keep for this key (its
     * newest value at or below {@code atRev}, unless that is a tombstone); changes nothing.
     */
    abstract void keep(long atRev, Set<Revision> keep);

    /**
     * Compacts at {@code atRev}: drops every generation that ended at or below {@code atRev} and, in the
     * surviving generation (the first one whose tombstone is newer than {@code atRev}, or the current
     * one), every revision older than its newest one at or below {@code atRev}. That revision, the one
     * kept at or below {@code atRev}, is never a tombstone; it is added to {@code keep}. Afterwards
     * {@link #get} answers identically for every revision {@code >= atRev}. Returns null when no history
     * is left (the key leaves the index).
     */
    abstract KeyIndex compact(long atRev, Set<Revision> keep);

    /** The number of generations, the current (possibly empty) one included. */
    abstract int generationCount();
}
