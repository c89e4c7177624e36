package io.etcdj.mvcc.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.Revision;

/**
 * {@link RevisionIndex} over a {@link TreeMap} ordered by unsigned byte comparison of keys. A change to a
 * key stores the {@link KeyIndex} the change returns (its representation may change; see there).
 */
public final class TreeRevisionIndex implements RevisionIndex {
    private final TreeMap<byte[], KeyIndex> tree = new TreeMap<>(Arrays::compareUnsigned);

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
        int total = 0;
        for (KeyIndex ki : slice(range)) {
            KeyRevision kr = ki.get(atRev);
            if (kr != null) {
                total++;
                if (limit <= 0 || out.size() < limit) {
                    out.add(kr);
                }
            }
        }
        return new IndexRange(out, total);
    }

    @Override
    public int count(KeyRange range, long atRev) {
        if (range.isSingleKey()) {
            return get(range.key(), atRev) == null ? 0 : 1;
        }
        int total = 0;
        for (KeyIndex ki : slice(range)) {
            if (ki.get(atRev) != null) {
                total++;
            }
        }
        return total;
    }

    private Collection<KeyIndex> slice(KeyRange range) {
        if (range.isUnbounded()) {
            return tree.tailMap(range.key(), true).values();
        }
        if (Arrays.compareUnsigned(range.key(), range.end()) >= 0) {
            return List.of();
        }
        NavigableMap<byte[], KeyIndex> sub = tree.subMap(range.key(), true, range.end(), false);
        return sub.values();
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
        tree.computeIfPresent(key, (k, ki) -> ki.isLive() ? ki.tombstone(rev) : ki);
    }

    @Override
    public Set<Revision> compact(long atRev) {
        Set<Revision> keep = new HashSet<>();
        Iterator<Map.Entry<byte[], KeyIndex>> it = tree.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<byte[], KeyIndex> e = it.next();
            KeyIndex compacted = e.getValue().compact(atRev, keep);
            if (compacted == null) {
                it.remove();
            } else if (compacted != e.getValue()) {
                e.setValue(compacted);
            }
        }
        return keep;
    }

    @Override
    public Set<Revision> keep(long atRev) {
        Set<Revision> keep = new HashSet<>();
        for (KeyIndex ki : tree.values()) {
            ki.keep(atRev, keep);
        }
        return keep;
    }

    @Override
    public int size() {
        return tree.size();
    }
}
