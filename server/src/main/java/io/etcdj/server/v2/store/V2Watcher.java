package io.etcdj.server.v2.store;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A registered interest in changes of a key (or, recursively, of a directory), created by
 * {@link V2Store#watch}. A non-stream watcher delivers exactly one event and is then dropped by the
 * store; a stream watcher delivers events until {@link #remove()}. A watcher whose buffer of
 * {@link #BUFFER} events overflows is dropped (as etcd does) and then reports {@link #isRemoved()}.
 * Safe for one consumer thread while the store notifies from another.
 */
public final class V2Watcher {
    static final int BUFFER = 100;

    private final BlockingQueue<V2Event> events = new ArrayBlockingQueue<>(BUFFER);
    final String key;
    final boolean recursive;
    final boolean stream;
    final long sinceIndex;
    private final long startIndex;
    private final WatcherRegistry registry;
    private volatile boolean removed;

    V2Watcher(String key, boolean recursive, boolean stream, long sinceIndex, long startIndex,
              WatcherRegistry registry) {
        this.key = key;
        this.recursive = recursive;
        this.stream = stream;
        this.sinceIndex = sinceIndex;
        this.startIndex = startIndex;
        this.registry = registry;
    }

    /** The store's etcd index when the watch was registered (etcd's X-Etcd-Index for watches). */
    public long startIndex() { return startIndex; }

    public boolean isStream() { return stream; }

    /** The next event, waiting up to {@code timeoutMillis}; null on timeout or when removed and drained. */
    public V2Event next(long timeoutMillis) throws InterruptedException {
        return events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    public boolean isRemoved() { return removed; }

    /** Stops the watch; safe to call more than once and from any thread. */
    public void remove() {
        removed = true;
        if (registry != null) {
            registry.remove(this);
        }
    }

    void markRemoved() { removed = true; }

    /** Delivers when the event concerns this watcher; returns true when it was delivered. */
    boolean offer(V2Event e, boolean originalPath, boolean deleted) {
        if ((recursive || originalPath || deleted) && e.index() >= sinceIndex) {
            if (!events.offer(e)) {
                remove();
            }
            return true;
        }
        return false;
    }

    /** Puts an event from the history straight into the buffer (watch satisfied at once). */
    void preload(V2Event e) {
        events.offer(e);
    }
}
