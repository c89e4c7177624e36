package io.etcdj.server.apply;

import io.etcdj.raft.pb.Snapshot;
import io.etcdj.server.failpoint.Failpoints;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.storage.ServerBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a snapshot received from the leader (on the applier thread): swaps in the backend
 * checkpoint that came with it (already on disk: the receiver stores it before raft sees the
 * message), then the membership and whatever else is derived from that backend (auth, the v2
 * store). Entries after the snapshot that the checkpoint already contains are later skipped by the consistent-index rule.
 */
public final class SnapshotRestorer implements Consumer<Snapshot> {
    private static final Logger log = LoggerFactory.getLogger(SnapshotRestorer.class);

    private final ServerBackend backend;
    private final Membership membership;
    private final Runnable reloaded;
    private final LongFunction<Path> receivedCheckpoint;
    private final Snapshotter snapshotter;

    public SnapshotRestorer(ServerBackend backend, Membership membership, LongFunction<Path> receivedCheckpoint,
                            Snapshotter snapshotter) {
        this(backend, membership, receivedCheckpoint, snapshotter, () -> { });
    }

    /** @param reloaded re-reads state derived from the backend (the auth store, the v2 store) once it is restored */
    public SnapshotRestorer(ServerBackend backend, Membership membership, LongFunction<Path> receivedCheckpoint,
                            Snapshotter snapshotter, Runnable reloaded) {
        this.reloaded = reloaded;
        this.backend = backend;
        this.membership = membership;
        this.receivedCheckpoint = receivedCheckpoint;
        this.snapshotter = snapshotter;
    }

    @Override
    public void accept(Snapshot snapshot) {
        long index = snapshot.getMetadata().getIndex();
        Path checkpoint = receivedCheckpoint.apply(index);
        if (!Files.isDirectory(checkpoint)) {
            throw new IllegalStateException("snapshot " + index + " has no received backend at " + checkpoint);
        }
        Failpoints.hit("applyBeforeOpenSnapshot");
        backend.restoreFrom(checkpoint);
        if (backend.consistentIndex() < index) {
            throw new IllegalStateException("received backend is at index " + backend.consistentIndex()
                    + ", older than its snapshot " + index);
        }
        backend.loadMembership().ifPresent(membership::restore);
        reloaded.run();
        snapshotter.restored(index);
        log.info("restored the backend from the leader's snapshot at index {} (backend at {})", index,
                backend.consistentIndex());
    }
}
