package io.etcdj.robustness.lease;

import io.etcdj.robustness.cluster.LocalCluster;
import java.util.ArrayList;
import java.util.List;

/**
 * When the raft term went up, as seen by polling every running member's Status every 100 ms: a
 * new leader extends every lease it takes over (etcd: by its TTL plus an election timeout from
 * the moment it leads), so a lease's latest possible expiry depends on the last leader change.
 * Each entry is the time the higher term was first seen — after the change happened, so a bound
 * computed from it is never too tight.
 */
public final class TermChangeLog implements AutoCloseable {

    private final LocalCluster cluster;
    private final List<long[]> changes = new ArrayList<>(); // {nanoTime seen, term}
    private final Thread thread;
    private volatile boolean stop;
    private long term;

    public TermChangeLog(LocalCluster cluster) {
        this.cluster = cluster;
        this.thread = new Thread(this::run, "term-changes");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (!stop) {
            for (LocalCluster.Node n : cluster.nodes()) {
                if (n.running()) {
                    cluster.status(n).ifPresent(s -> observe(s.getHeader().getRaftTerm()));
                }
            }
            try {
                Thread.sleep(100); // sampling period, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void observe(long t) {
        if (t > term) {
            term = t;
            changes.add(new long[] {System.nanoTime(), t});
        }
    }

    /** The last time a higher term was seen at or before {@code nanos}; Long.MIN_VALUE if never. */
    public synchronized long lastChangeSeenBy(long nanos) {
        long last = Long.MIN_VALUE;
        for (long[] c : changes) {
            if (c[0] <= nanos) {
                last = c[0];
            }
        }
        return last;
    }

    public synchronized int changes() {
        return changes.size();
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(5_000);
    }
}
