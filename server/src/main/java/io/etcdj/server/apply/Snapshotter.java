package io.etcdj.server.apply;

import io.etcdj.server.membership.Membership;
import io.etcdj.server.raft.RaftLoop;
import io.etcdj.server.storage.ServerBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every --snapshot-count applied entries (checked by the applier after each batch): makes the
 * backend durable, then has the raft loop take a snapshot at the applied index carrying the
 * membership, compact its in-memory log and release WAL files. Runs on the applier thread, which
 * therefore applies nothing while the snapshot is taken.
 */
public final class Snapshotter {
    private static final Logger log = LoggerFactory.getLogger(Snapshotter.class);

    private final ServerBackend backend;
    private final Membership membership;
    private final RaftLoop loop;
    private final long snapshotCount;
    private final long catchUpEntries;
    private long lastSnapshotIndex;

    public Snapshotter(ServerBackend backend, Membership membership, RaftLoop loop, long snapshotCount,
                       long catchUpEntries, long lastSnapshotIndex) {
        this.backend = backend;
        this.membership = membership;
        this.loop = loop;
        this.snapshotCount = snapshotCount;
        this.catchUpEntries = catchUpEntries;
        this.lastSnapshotIndex = lastSnapshotIndex;
    }

    public void afterApplied(long appliedIndex) {
        if (snapshotCount <= 0 || appliedIndex - lastSnapshotIndex < snapshotCount) {
            return;
        }
        backend.sync();
        loop.snapshotAt(appliedIndex, membership.toRecord().toByteString(), catchUpEntries).join();
        log.info("snapshot at index {} (previous {})", appliedIndex, lastSnapshotIndex);
        lastSnapshotIndex = appliedIndex;
    }

    /** A snapshot received from the leader was restored at {@code index}. */
    public void restored(long index) {
        lastSnapshotIndex = index;
    }
}
