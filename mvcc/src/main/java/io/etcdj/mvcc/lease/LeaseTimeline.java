package io.etcdj.mvcc.lease;

import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A min-heap of (lease id, time) where each id has at most one live entry: {@link #schedule} replaces
 * an id's time; replaced and removed entries stay in the heap but are skipped when they reach the top.
 * Used for expiries and for checkpoint deadlines. Not thread-safe (the lessor's lock guards it).
 *
 * <p>Invariant: {@code live.get(id) == e} for exactly the entries that count; the heap holds at most
 * {@code live.size()} plus the number of replaced entries not yet popped (compacted when it doubles).
 */
final class LeaseTimeline {
    private record Entry(long id, long time) {
    }

    private final PriorityQueue<Entry> heap = new PriorityQueue<>((a, b) -> Long.compare(a.time, b.time));
    private final Map<Long, Entry> live = new HashMap<>();

    void schedule(long id, long time) {
        Entry e = new Entry(id, time);
        live.put(id, e);
        heap.add(e);
        if (heap.size() > 2 * live.size() + 64) {
            heap.clear();
            heap.addAll(live.values());
        }
    }

    void remove(long id) {
        live.remove(id);
    }

    void clear() {
        live.clear();
        heap.clear();
    }

    /** The id whose time is earliest and {@code <= now}, removed from the timeline; null if none. */
    Long pollDue(long now) {
        while (!heap.isEmpty()) {
            Entry top = heap.peek();
            if (live.get(top.id) != top) {
                heap.poll();
                continue;
            }
            if (top.time > now) {
                return null;
            }
            heap.poll();
            live.remove(top.id);
            return top.id;
        }
        return null;
    }

    int size() {
        return live.size();
    }
}
