package io.etcdj.mvcc.watch;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.protobuf.ByteString;

/**
 * The synced group: watchers that receive each revision as it is committed, indexed for matching a
 * key: single-key watchers by key, range watchers in a list scanned per key (fine for the ranges a
 * server usually holds; an interval tree would go here if that changes). Guarded by the store's lock.
 */
final class SyncedWatchers {
    private final Map<ByteString, Set<Watcher>> byKey = new HashMap<>();
    private final Set<Watcher> ranges = new LinkedHashSet<>();
    private int size;

    void add(Watcher w) {
        boolean added = w.singleKey != null
                ? byKey.computeIfAbsent(w.singleKey, k -> new LinkedHashSet<>()).add(w)
                : ranges.add(w);
        if (added) {
            size++;
        }
    }

    void remove(Watcher w) {
        boolean removed;
        if (w.singleKey != null) {
            Set<Watcher> s = byKey.get(w.singleKey);
            removed = s != null && s.remove(w);
            if (s != null && s.isEmpty()) {
                byKey.remove(w.singleKey);
            }
        } else {
            removed = ranges.remove(w);
        }
        if (removed) {
            size--;
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Every watcher of the group (a copy). */
    List<Watcher> all() {
        List<Watcher> out = new ArrayList<>(ranges);
        for (Set<Watcher> s : byKey.values()) {
            out.addAll(s);
        }
        return out;
    }

    /**
     * Watchers whose range contains {@code key}. Possibly a live view of the group: the caller must not
     * add or remove watchers while it iterates.
     */
    Collection<Watcher> matching(ByteString key) {
        Set<Watcher> exact = byKey.get(key);
        if (ranges.isEmpty()) {
            return exact == null ? List.of() : exact;
        }
        List<Watcher> out = exact == null ? new ArrayList<>() : new ArrayList<>(exact);
        byte[] k = key.toByteArray();
        for (Watcher w : ranges) {
            if (w.range.contains(k)) {
                out.add(w);
            }
        }
        return out;
    }
}
