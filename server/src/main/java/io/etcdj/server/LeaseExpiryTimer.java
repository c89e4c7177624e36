package io.etcdj.server;

import io.etcdj.api.etcdserverpb.LeaseCheckpoint;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.mvcc.lease.Lessor;
import io.etcdj.server.raft.RaftView;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's lease clock (etcd's revokeExpiredLeases / checkpoint loop): every
 * {@link #PERIOD_MILLIS} ms, while this member is leader, proposes a LeaseRevoke for each expired
 * lease (at most {@link #REVOKES_PER_ROUND} per round: etcd's 1000 per second) and one
 * LeaseCheckpointRequest with the due checkpoints. Proposals are fire-and-forget: an expired lease
 * whose revoke is lost is offered again by the lessor after its retry interval. Runs on its own
 * thread, started by {@link #start} and stopped by {@link #close}.
 */
final class LeaseExpiryTimer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaseExpiryTimer.class);
    static final long PERIOD_MILLIS = 500;
    static final int REVOKES_PER_ROUND = 500;
    static final int CHECKPOINTS_PER_ROUND = 1000;

    private final RaftView view;
    private final Supplier<Lessor> lessor;
    private final RaftEtcdServer server;
    private final String name;
    private ScheduledExecutorService timer;

    LeaseExpiryTimer(RaftView view, Supplier<Lessor> lessor, RaftEtcdServer server, String name) {
        this.view = view;
        this.lessor = lessor;
        this.server = server;
        this.name = name;
    }

    synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-timer-" + name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::round, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void round() {
        try {
            if (!view.isLeader()) {
                return;
            }
            Lessor l = lessor.get();
            for (long id : l.expiredLeases(REVOKES_PER_ROUND)) {
                server.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build()).whenComplete((r, err) -> {
                    if (err != null) {
                        log.debug("revoking expired lease {} failed: {}", Long.toHexString(id), err.toString());
                    }
                });
            }
            List<LeaseCheckpoint> due = l.dueCheckpoints(CHECKPOINTS_PER_ROUND);
            if (!due.isEmpty()) {
                server.leaseCheckpoint(due).whenComplete((r, err) -> {
                    if (err != null) {
                        log.debug("lease checkpoint failed: {}", err.toString());
                    }
                });
            }
        } catch (RuntimeException e) {
            log.warn("lease timer round failed", e);
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
