package io.etcdj.mvcc.index;

import java.util.Arrays;
import java.util.Set;

import io.etcdj.mvcc.Revision;

/**
 * Any key history (see {@link KeyIndex}) in primitive arrays, with no object per revision or
 * generation.
 *
 * <p>Layout:
 * <ul>
 *   <li>the revisions of all generations, oldest first: the i-th is {@code (mains[i], subs[i])} for
 *       {@code i < size}; the arrays may have spare capacity at their end, and {@code subs} is null
 *       while every sub is 0 (a transaction with one change, the usual case);</li>
 *   <li>{@code generationCount >= 1} generations, oldest first, {@value #GENERATION_LONGS} longs each
 *       in {@code generations}: the index of its first revision ({@link #START}; generations are
 *       contiguous, so generation g holds revisions {@code [start(g), start(g + 1))} and the last one
 *       {@code [start(last), size)}), its creation revision ({@link #CREATED_MAIN}, {@link #CREATED_SUB};
 *       meaningless while the generation is empty) and the key's version at its last revision
 *       ({@link #VERSION}; 0 while empty).</li>
 * </ul>
 * Revisions are strictly increasing inside a generation ({@link #put} checks it; a restore trusts the
 * backend's order). Indexes below are absolute revision indexes.
 */
final class MultiRevisionKeyIndex extends KeyIndex {
    private static final int GENERATION_LONGS = 4;
    private static final int START = 0;
    private static final int CREATED_MAIN = 1;
    private static final int CREATED_SUB = 2;
    private static final int VERSION = 3;

    private long[] mains;
    private int[] subs;
    private int size;
    private long[] generations;
    private int generationCount;

    /** No history: one empty generation. */
    MultiRevisionKeyIndex(byte[] key) {
        super(key);
        this.mains = new long[2];
        this.generations = new long[GENERATION_LONGS];
        this.generationCount = 1;
    }

    /** One generation holding one revision, with room for one more. */
    MultiRevisionKeyIndex(byte[] key, long main, int sub, long createdMain, int createdSub, long version) {
        this(key);
        mains[0] = main;
        size = 1;
        setSubAt(0, sub);
        generations[CREATED_MAIN] = createdMain;
        generations[CREATED_SUB] = createdSub;
        generations[VERSION] = version;
    }

    private int current() {
        return generationCount - 1;
    }

    private long field(int g, int field) {
        return generations[g * GENERATION_LONGS + field];
    }

    private void setField(int g, int field, long value) {
        generations[g * GENERATION_LONGS + field] = value;
    }

    private int start(int g) {
        return (int) field(g, START);
    }

    /** One past the index of generation g's last revision. */
    private int end(int g) {
        return g < current() ? start(g + 1) : size;
    }

    private boolean isEmpty(int g) {
        return start(g) == end(g);
    }

    private boolean isClosed(int g) {
        return g < current();
    }

    private int subAt(int i) {
        return subs == null ? 0 : subs[i];
    }

    private void setSubAt(int i, int sub) {
        if (subs == null && sub != 0) {
            subs = new int[mains.length];
        }
        if (subs != null) {
            subs[i] = sub;
        }
    }

    private Revision revision(int i) {
        return new Revision(mains[i], subAt(i));
    }

    private Revision created(int g) {
        return new Revision(field(g, CREATED_MAIN), field(g, CREATED_SUB));
    }

    /** The key's version at revision i of generation g. */
    private long versionAt(int g, int i) {
        return field(g, VERSION) - (end(g) - 1 - i);
    }

    /** Index of generation g's newest revision with {@code main <= atRev}, or -1. */
    private int newestAtOrBelow(int g, long atRev) {
        for (int i = end(g) - 1; i >= start(g); i--) {
            if (mains[i] <= atRev) {
                return i;
            }
        }
        return -1;
    }

    private boolean isAfterLast(Revision rev) {
        long last = mains[size - 1];
        return rev.main() > last || rev.main() == last && rev.sub() > subAt(size - 1);
    }

    private void append(Revision rev) {
        int sub = sub(rev);
        if (size == mains.length) {
            int capacity = size + (size >> 1) + 1;
            mains = Arrays.copyOf(mains, capacity);
            subs = subs == null ? null : Arrays.copyOf(subs, capacity);
        }
        mains[size] = rev.main();
        size++;
        setSubAt(size - 1, sub);
    }

    @Override
    KeyIndex put(Revision rev) {
        int g = current();
        if (isEmpty(g)) {
            setCreated(g, rev);
        } else if (!isAfterLast(rev)) {
            throw new IllegalStateException("put at " + rev + " not after " + revision(size - 1) + " for key");
        }
        append(rev);
        setField(g, VERSION, field(g, VERSION) + 1);
        return this;
    }

    private void setCreated(int g, Revision created) {
        int sub = sub(created);
        setField(g, CREATED_MAIN, created.main());
        setField(g, CREATED_SUB, sub);
    }

    @Override
    KeyIndex restore(Revision created, Revision modified, long version) {
        int g = current();
        if (isEmpty(g)) {
            setCreated(g, created);
        }
        append(modified);
        setField(g, VERSION, version);
        return this;
    }

    @Override
    KeyIndex tombstone(Revision rev) {
        if (!isLive()) {
            throw new IllegalStateException("tombstone on a deleted key");
        }
        put(rev);
        if (generations.length == generationCount * GENERATION_LONGS) {
            generations = Arrays.copyOf(generations, (generationCount + (generationCount >> 1) + 1) * GENERATION_LONGS);
        }
        generationCount++;
        int g = current();
        setField(g, START, size);
        setField(g, CREATED_MAIN, 0);
        setField(g, CREATED_SUB, 0);
        setField(g, VERSION, 0);
        return this;
    }

    @Override
    boolean isLive() {
        return !isEmpty(current());
    }

    /** True when no revision at all is recorded. */
    private boolean hasNoHistory() {
        return generationCount == 1 && size == 0;
    }

    @Override
    KeyRevision get(long atRev) {
        for (int g = current(); g >= 0; g--) {
            if (isEmpty(g) || mains[start(g)] > atRev) {
                continue;
            }
            if (isClosed(g) && mains[end(g) - 1] <= atRev) {
                return null; // deleted at or before atRev, and no later generation had started
            }
            int i = newestAtOrBelow(g, atRev);
            return new KeyRevision(key, revision(i), created(g), versionAt(g, i));
        }
        return null;
    }

    /**
     * The generation that survives a compaction at {@code atRev}: the first one still alive after
     * {@code atRev} (its tombstone is newer) or the current one. So its newest revision at or below
     * {@code atRev}, if any, is never its tombstone: that is the one revision a compaction keeps.
     */
    private int survivingGeneration(long atRev) {
        int g = 0;
        while (isClosed(g) && mains[end(g) - 1] <= atRev) {
            g++;
        }
        return g;
    }

    /**
     * Adds to {@code keep} the revision a compaction at {@code atRev} keeps in the surviving generation
     * {@code g}, if it has one at or below {@code atRev}; returns its index, or -1.
     */
    private int addKept(int g, long atRev, Set<Revision> keep) {
        int i = newestAtOrBelow(g, atRev);
        if (i >= 0) {
            keep.add(revision(i));
        }
        return i;
    }

    @Override
    void keep(long atRev, Set<Revision> keep) {
        addKept(survivingGeneration(atRev), atRev, keep);
    }

    @Override
    KeyIndex compact(long atRev, Set<Revision> keep) {
        int g = survivingGeneration(atRev);
        int i = addKept(g, atRev, keep);
        dropBefore(g, i >= 0 ? i : start(g));
        if (hasNoHistory()) {
            return null;
        }
        if (generationCount == 1 && size == 1) {
            return new SingleRevisionKeyIndex(key, mains[0], subAt(0), field(0, CREATED_MAIN),
                    (int) field(0, CREATED_SUB), field(0, VERSION));
        }
        return this;
    }

    /**
     * Drops the generations before {@code firstGeneration} and the revisions before {@code firstRevision}
     * (which is at or after that generation's start), into arrays of exactly the remaining size.
     */
    private void dropBefore(int firstGeneration, int firstRevision) {
        if (firstGeneration == 0 && firstRevision == 0) {
            return;
        }
        size -= firstRevision;
        mains = Arrays.copyOfRange(mains, firstRevision, firstRevision + size);
        subs = subs == null ? null : Arrays.copyOfRange(subs, firstRevision, firstRevision + size);
        generationCount -= firstGeneration;
        generations = Arrays.copyOfRange(generations, firstGeneration * GENERATION_LONGS,
                (firstGeneration + generationCount) * GENERATION_LONGS);
        setField(0, START, 0);
        for (int g = 1; g < generationCount; g++) {
            setField(g, START, start(g) - firstRevision);
        }
    }

    @Override
    int generationCount() {
        return generationCount;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("KeyIndex[");
        for (int g = 0; g < generationCount; g++) {
            b.append(g == 0 ? "" : ", ").append("g{created=").append(created(g)).append(", ver=")
                    .append(field(g, VERSION)).append(", revs=[");
            for (int i = start(g); i < end(g); i++) {
                b.append(i == start(g) ? "" : ", ").append(revision(i));
            }
            b.append("]}");
        }
        return b.append(']').toString();
    }
}
