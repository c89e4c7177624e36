package io.etcdj.raftsim;

import java.util.PriorityQueue;

/** The simulation's agenda: pending events ordered by (time, scheduling order). */
final class EventQueue {
    private final PriorityQueue<Event> pending = new PriorityQueue<>((a, b) -> {
        int c = Long.compare(a.time, b.time);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    });
    private long nextSeq;

    void schedule(long time, Event event) {
        event.time = time;
        event.seq = nextSeq++;
        pending.add(event);
    }

    /** The next event, or null if nothing is pending. */
    Event poll() {
        return pending.poll();
    }

    /** Time of the next event; Long.MAX_VALUE if none. */
    long peekTime() {
        Event next = pending.peek();
        return next == null ? Long.MAX_VALUE : next.time;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }
}
