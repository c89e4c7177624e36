package io.etcdj.mvcc.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.etcdj.mvcc.Revision;

/**
 * The reference model of {@link KeyIndex} for {@link RevisionIndexModelTest}: the index's former
 * implementation, with one object per generation and per revision. The revision history of one key as a
 * list of {@link Generation}s, oldest first.
 *
 * <p>Invariants: there is at least one generation; only the last generation may be empty (it is empty
 * exactly when the key is currently deleted, or before the first put); every generation but the last
 * ends with a tombstone.
 */
final class ListKeyIndexModel {
    final byte[] key;
    final List<Generation> generations = new ArrayList<>(1);

    ListKeyIndexModel(byte[] key) {
        this.key = key;
        generations.add(new Generation());
    }

    private Generation current() {
        return generations.get(generations.size() - 1);
    }

    /** Records a put at {@code rev}, which must be newer than every recorded revision. */
    void put(Revision rev) {
        Generation g = current();
        if (!g.isEmpty() && !rev.greaterThan(g.last())) {
            throw new IllegalStateException("put at " + rev + " not after " + g.last() + " for key");
        }
        if (g.isEmpty()) {
            g.created = rev;
        }
        g.revs.add(rev);
        g.version++;
    }

    /**
     * Records a put found while rebuilding from the backend, where older revisions may already have been
     * compacted away: the generation's creation and version come from the stored value.
     */
    void restore(Revision created, Revision modified, long version) {
        Generation g = current();
        if (g.isEmpty()) {
            g.created = created;
        }
        g.revs.add(modified);
        g.version = version;
    }

    /** Records a deletion at {@code rev}; the key must be live. Opens a new, empty generation. */
    void tombstone(Revision rev) {
        if (current().isEmpty()) {
            throw new IllegalStateException("tombstone on a deleted key");
        }
        put(rev);
        generations.add(new Generation());
    }

    boolean isLive() {
        return !current().isEmpty();
    }

    /** True when no revision at all is recorded (the key can be dropped from the index). */
    boolean isEmpty() {
        return generations.size() == 1 && generations.get(0).isEmpty();
    }

    /** The key as of revision {@code atRev}, or null if it did not exist (or was deleted) then. */
    KeyRevision get(long atRev) {
        for (int gi = generations.size() - 1; gi >= 0; gi--) {
            Generation g = generations.get(gi);
            if (g.isEmpty() || g.first().main() > atRev) {
                continue;
            }
            boolean closed = gi < generations.size() - 1;
            if (closed && g.last().main() <= atRev) {
                return null; // deleted at or before atRev, and no later generation had started
            }
            int i = g.newestAtOrBelow(atRev);
            return new KeyRevision(key, g.revs.get(i), g.created, g.versionAt(i));
        }
        return null;
    }

    /**
     * The generation that survives a compaction at {@code atRev}: the first one still alive after
     * {@code atRev} (its tombstone is newer) or the current one.
     */
    private int survivingGeneration(long atRev) {
        int gi = 0;
        while (gi < generations.size() - 1 && generations.get(gi).last().main() <= atRev) {
            gi++;
        }
        return gi;
    }

    /**
     * Adds to {@code keep} the revision a compaction at {@code atRev} would keep for this key (its
     * newest value at or below {@code atRev}, unless that is a tombstone); changes nothing.
     */
    void keep(long atRev, Set<Revision> keep) {
        if (isEmpty()) {
            return;
        }
        int gi = survivingGeneration(atRev);
        Generation g = generations.get(gi);
        int i = g.newestAtOrBelow(atRev);
        if (i >= 0 && !(gi < generations.size() - 1 && i == g.revs.size() - 1)) {
            keep.add(g.revs.get(i));
        }
    }

    /**
     * Compacts at {@code atRev}: drops every generation that ended at or below {@code atRev} and, in the
     * surviving generation, every revision older than its newest one at or below {@code atRev}. The
     * revision kept at or below {@code atRev} (never a tombstone) is added to {@code keep}. Afterwards
     * {@link #get} answers identically for every revision {@code >= atRev}.
     */
    void compact(long atRev, Set<Revision> keep) {
        if (isEmpty()) {
            return;
        }
        int gi = survivingGeneration(atRev);
        Generation g = generations.get(gi);
        int i = g.newestAtOrBelow(atRev);
        if (i > 0) {
            g.revs.subList(0, i).clear();
        }
        if (i >= 0) {
            boolean closed = gi < generations.size() - 1;
            if (closed && g.revs.size() == 1) {
                gi++; // only the tombstone is left
            } else {
                keep.add(g.revs.get(0));
            }
        }
        generations.subList(0, gi).clear();
    }

    @Override
    public String toString() {
        return "ListKeyIndexModel" + generations;
    }

    /**
     * One life of a key: from its creation to its deletion (tombstone) or to now.
     *
     * <p>Invariants: {@code revs} is strictly increasing; {@code version} is the key's version at the last
     * revision in {@code revs} (compaction trims old revisions from the front but never changes
     * {@code version}, so the version at {@code revs[i]} is {@code version - (revs.size() - 1 - i)}); a
     * closed generation (one followed by another) ends with its tombstone revision.
     */
    static final class Generation {
        long version;
        Revision created;
        final List<Revision> revs;

        Generation() {
            this.revs = new ArrayList<>(2);
        }

        boolean isEmpty() {
            return revs.isEmpty();
        }

        Revision first() {
            return revs.get(0);
        }

        Revision last() {
            return revs.get(revs.size() - 1);
        }

        /** Index of the newest revision with {@code main <= atRev}, or -1. */
        int newestAtOrBelow(long atRev) {
            for (int i = revs.size() - 1; i >= 0; i--) {
                if (revs.get(i).main() <= atRev) {
                    return i;
                }
            }
            return -1;
        }

        long versionAt(int i) {
            return version - (revs.size() - 1 - i);
        }

        @Override
        public String toString() {
            return "g{created=" + created + ", ver=" + version + ", revs=" + revs + "}";
        }
    }
}
