package io.etcdj.server.v2.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The watchers by watched path, and the delivery rules: an event on /a/b reaches watchers of "/",
 * "/a" (if recursive) and "/a/b"; a change below a hidden segment ("_x") reaches only watchers
 * of that exact key; deleting a directory reaches the watchers of everything under it.
 */
final class WatcherRegistry {
    private final Map<String, List<V2Watcher>> byPath = new HashMap<>();
    private int count;

    synchronized void add(V2Watcher w) {
        byPath.computeIfAbsent(w.key, k -> new ArrayList<>()).add(w);
        count++;
    }

    synchronized void remove(V2Watcher w) {
        List<V2Watcher> l = byPath.get(w.key);
        if (l != null && l.remove(w)) {
            count--;
            if (l.isEmpty()) {
                byPath.remove(w.key);
            }
        }
    }

    synchronized int count() { return count; }

    /** Notifies the watchers of every path from "/" down to the event's key. */
    void notifyAlongPath(V2Event e) {
        String key = e.node().key();
        notifyAt(e, "/", false);
        int from = 1;
        while (from <= key.length()) {
            int slash = key.indexOf('/', from);
            int end = slash < 0 ? key.length() : slash;
            if (end > from) {
                notifyAt(e, key.substring(0, end), false);
            }
            from = end + 1;
        }
    }

    synchronized void notifyAt(V2Event e, String watchPath, boolean deleted) {
        List<V2Watcher> l = byPath.get(watchPath);
        if (l == null) {
            return;
        }
        for (V2Watcher w : new ArrayList<>(l)) {
            boolean originalPath = e.node().key().equals(watchPath);
            if ((originalPath || !isHidden(watchPath, e.node().key())) && w.offer(e, originalPath, deleted)) {
                if (!w.stream) {
                    w.markRemoved();
                    if (l.remove(w)) {
                        count--;
                    }
                }
            }
        }
        if (l.isEmpty()) {
            byPath.remove(watchPath);
        }
    }

    /** Drops every watcher (store restore): their consumers see {@link V2Watcher#isRemoved()}. */
    synchronized void clear() {
        byPath.values().forEach(l -> l.forEach(V2Watcher::markRemoved));
        byPath.clear();
        count = 0;
    }

    static boolean isHidden(String watchPath, String keyPath) {
        if (watchPath.length() > keyPath.length()) {
            return false;
        }
        String after = "/" + keyPath.substring(watchPath.length());
        return after.contains("/_");
    }
}
