package io.etcdj.server.v2.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@link #CAPACITY} events, oldest first. Invariant: events are in increasing index
 * order; {@code startIndex} is the index of the oldest kept event (0 while empty).
 */
final class EventHistory {
    static final int CAPACITY = 1000;

    private final ArrayDeque<V2Event> events = new ArrayDeque<>();
    private long startIndex;
    private long lastIndex;

    void add(V2Event e) {
        if (events.size() == CAPACITY) {
            events.removeFirst();
        }
        events.addLast(e);
        lastIndex = e.index();
        startIndex = events.peekFirst().index();
    }

    long startIndex() { return startIndex; }
    long lastIndex() { return lastIndex; }
    List<V2Event> events() { return new ArrayList<>(events); }

    void restore(List<V2Event> kept) {
        events.clear();
        startIndex = 0;
        lastIndex = 0;
        kept.forEach(this::add);
    }

    /**
     * The first event at or after {@code index} that a watcher of {@code key} would see, or null
     * when none happened yet. Throws 401 when {@code index} is older than the history.
     */
    V2Event scan(String key, boolean recursive, long index, long storeIndex) {
        if (index < startIndex) {
            throw new V2Error(V2Error.EVENT_INDEX_CLEARED,
                    "the requested history has been cleared [" + startIndex + "/" + index + "]", storeIndex);
        }
        if (index > lastIndex) {
            return null;
        }
        String dirPrefix = key.endsWith("/") ? key : key + "/";
        for (V2Event e : events) {
            if (e.index() < index || e.refresh()) {
                continue;
            }
            boolean ok = e.node().key().equals(key);
            if (recursive) {
                ok = ok || e.node().key().startsWith(dirPrefix);
            }
            if ((V2Event.DELETE.equals(e.action()) || V2Event.EXPIRE.equals(e.action()))
                    && e.prevNode() != null && e.prevNode().dir()) {
                ok = ok || key.startsWith(e.prevNode().key());
            }
            if (ok) {
                return e;
            }
        }
        return null;
    }
}
