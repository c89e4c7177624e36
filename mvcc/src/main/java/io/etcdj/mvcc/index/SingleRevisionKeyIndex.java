package io.etcdj.mvcc.index;

import java.util.Set;

import io.etcdj.mvcc.Revision;

/**
 * The history of a live key with one generation holding one revision ({@code main}, {@code sub}): the
 * shape of most keys. No arrays and no objects per revision: 48 bytes with compressed references.
 * Immutable; a change that adds a revision returns a {@link MultiRevisionKeyIndex}.
 *
 * <p>{@code created} equals the revision after a put, but not after a restore of a key whose older
 * revisions were compacted, nor after compacting a longer history down to this shape; {@code version}
 * is the key's version at the revision.
 */
final class SingleRevisionKeyIndex extends KeyIndex {
    private final long main;
    private final int sub;
    private final long createdMain;
    private final int createdSub;
    private final long version;

    SingleRevisionKeyIndex(byte[] key, long main, int sub, long createdMain, int createdSub, long version) {
        super(key);
        this.main = main;
        this.sub = sub;
        this.createdMain = createdMain;
        this.createdSub = createdSub;
        this.version = version;
    }

    private Revision revision() {
        return new Revision(main, sub);
    }

    /** The same history as a {@link MultiRevisionKeyIndex} with room for one more revision. */
    private MultiRevisionKeyIndex grown() {
        return new MultiRevisionKeyIndex(key, main, sub, createdMain, createdSub, version);
    }

    @Override
    KeyIndex put(Revision rev) {
        return grown().put(rev);
    }

    @Override
    KeyIndex restore(Revision created, Revision modified, long newVersion) {
        return grown().restore(created, modified, newVersion);
    }

    @Override
    KeyIndex tombstone(Revision rev) {
        return grown().tombstone(rev);
    }

    @Override
    boolean isLive() {
        return true;
    }

    @Override
    KeyRevision get(long atRev) {
        if (main > atRev) {
            return null;
        }
        return new KeyRevision(key, revision(), new Revision(createdMain, createdSub), version);
    }

    @Override
    void keep(long atRev, Set<Revision> keep) {
        if (main <= atRev) {
            keep.add(revision());
        }
    }

    @Override
    KeyIndex compact(long atRev, Set<Revision> keep) {
        keep(atRev, keep);
        return this;
    }

    @Override
    int generationCount() {
        return 1;
    }

    @Override
    public String toString() {
        return "KeyIndex[g{created=" + createdMain + "_" + createdSub + ", ver=" + version + ", revs=["
                + revision() + "]}]";
    }
}
