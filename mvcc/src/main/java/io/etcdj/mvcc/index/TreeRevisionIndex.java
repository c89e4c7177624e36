package io.etcdj.mvcc.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.Revision;

/**
 * {@link RevisionIndex} over a {@link ByteKeyBTree} ordered by unsigned byte comparison of keys. A
 * change to a key stores the {@link KeyIndex} the change returns (its representation may change; see
 * there).
 */
public final class TreeRevisionIndex implements RevisionIndex {
    private final ByteKeyBTree<KeyIndex> tree;

    public TreeRevisionIndex() {
        this(ByteKeyBTree.DEFAULT_CAPACITY);
    }

    /** An index whose tree nodes hold {@code nodeCapacity} entries (small ones make tests split nodes). */
    TreeRevisionIndex(int nodeCapacity) {
        this.tree = new ByteKeyBTree<>(nodeCapacity);
    }

    @Override
    public KeyRevision get(byte[] key, long atRev) {
        KeyIndex ki = tree.get(key);
        return ki == null ? null : ki.get(atRev);
    }

    @Override
    public IndexRange range(KeyRange range, long atRev, int limit) {
        if (range.isSingleKey()) {
            KeyRevision kr = get(range.key(), atRev);
            return kr == null ? new IndexRange(List.of(), 0) : new IndexRange(List.of(kr), 1);
        }
        List<KeyRevision> out = new ArrayList<>();
        int[] total = {0};
        forEachIn(range, ki -> {
            KeyRevision kr = ki.get(atRev);
            if (kr != null) {
                total[0]++;
                if (limit <= 0 || out.size() < limit) {
                    out.add(kr);
                }
            }
        });
        return new IndexRange(out, total[0]);
    }

    @Override
    public int count(KeyRange range, long atRev) {
        if (range.isSingleKey()) {
            return get(range.key(), atRev) == null ? 0 : 1;
        }
        int[] total = {0};
        forEachIn(range, ki -> {
            if (ki.get(atRev) != null) {
                total[0]++;
            }
        });
        return total[0];
    }

    /** Visits the keys of a range that is not a single key, in key order. */
    private void forEachIn(KeyRange range, Consumer<KeyIndex> visit) {
        if (range.isUnbounded()) {
            tree.forEachValue(range.key(), null, visit);
        } else if (Arrays.compareUnsigned(range.key(), range.end()) < 0) {
            tree.forEachValue(range.key(), range.end(), visit);
        }
    }

    @Override
    public void put(byte[] key, Revision rev) {
        tree.compute(key, (k, ki) -> ki == null ? KeyIndex.ofPut(k, rev) : ki.put(rev));
    }

    @Override
    public void tombstone(byte[] key, Revision rev) {
        tree.compute(key, (k, ki) -> {
            if (ki == null || !ki.isLive()) {
                throw new IllegalStateException("tombstone of a key that is not live");
            }
            return ki.tombstone(rev);
        });
    }

    @Override
    public void restore(byte[] key, Revision created, Revision modified, long version) {
        tree.compute(key, (k, ki) -> ki == null
                ? KeyIndex.ofRestore(k, created, modified, version)
                : ki.restore(created, modified, version));
    }

    @Override
    public void restoreTombstone(byte[] key, Revision rev) {
        tree.compute(key, (k, ki) -> ki != null && ki.isLive() ? ki.tombstone(rev) : ki);
    }

    @Override
    public Set<Revision> compact(long atRev) {
        Set<Revision> keep = new HashSet<>();
        tree.replaceAll(ki -> ki.compact(atRev, keep));
        return keep;
    }

    @Override
    public Set<Revision> keep(long atRev) {
        Set<Revision> keep = new HashSet<>();
        tree.forEachValue(new byte[0], null, ki -> ki.keep(atRev, keep));
        return keep;
    }

    @Override
    public int size() {
        return tree.size();
    }
}
