package io.etcdj.mvcc.watch;

import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that catches unsynced watchers up: runs {@link WatchableStore#syncOnce()} whenever a pass
 * is requested (a watcher became unsynced, a full stream buffer drained) and at least every
 * {@code idleNanos} (etcd syncs every 100 ms), back to back while progress is possible. Started by
 * {@link #start()}, stopped by {@link #close()}; the constructor starts nothing.
 */
public final class WatchSyncLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WatchSyncLoop.class);

    private final WatchableStore store;
    private final long idleNanos;
    private volatile boolean stopped;
    private Thread thread;

    public WatchSyncLoop(WatchableStore store) {
        this(store, TimeUnit.MILLISECONDS.toNanos(100));
    }

    public WatchSyncLoop(WatchableStore store, long idleNanos) {
        this.store = store;
        this.idleNanos = idleNanos;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = new Thread(this::run, "watch-sync");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!stopped) {
            try {
                if (!store.syncOnce()) {
                    store.awaitSyncRequest(idleNanos);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("watch sync pass failed; retrying", e);
                try {
                    store.awaitSyncRequest(idleNanos);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void close() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
