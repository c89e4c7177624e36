package io.etcdj.server.v2.replicated;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Expires v2 keys with a TTL as etcd does: every 500 ms the leader, if the store holds any node
 * with a TTL, proposes a SYNC carrying its clock; every member then deletes the nodes whose
 * expiration is at or before that time, at the same log position.
 */
public final class V2ExpirySync implements AutoCloseable {
    private static final long PERIOD_MS = 500;

    private final RaftV2Cluster cluster;
    private final ScheduledExecutorService timer;

    public V2ExpirySync(RaftV2Cluster cluster, String memberName) {
        this.cluster = cluster;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "v2-expiry-" + memberName);
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::tick, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        if (cluster.isLeader() && cluster.hasTtlKeys()) {
            cluster.proposeSync(); // fire and forget: a lost SYNC is retried by the next tick
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
