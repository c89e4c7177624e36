package io.etcdj.mvcc.index;

import java.util.ArrayList;
import java.util.List;

import io.etcdj.mvcc.Revision;

/**
 * One life of a key: from its creation to its deletion (tombstone) or to now.
 *
 * <p>Invariants: {@code revs} is strictly increasing; {@code version} is the key's version at the last
 * revision in {@code revs} (compaction trims old revisions from the front but never changes
 * {@code version}, so the version at {@code revs[i]} is {@code version - (revs.size() - 1 - i)}); a
 * closed generation (one followed by another) ends with its tombstone revision.
 */
final class Generation {
    long version;
    Revision created;
    final List<Revision> revs;

    Generation() {
        this.revs = new ArrayList<>(2);
    }

    Generation(Generation other) {
        this.version = other.version;
        this.created = other.created;
        this.revs = new ArrayList<>(other.revs);
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
