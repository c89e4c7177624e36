package io.etcdj.server.storage;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import io.etcdj.raft.pb.Snapshot;
import java.io.IOException;
import java.util.List;

/**
 * The durable side of this member's raft log (WAL + snapshot files), as the raft loop uses it.
 * Only the raft-loop thread calls {@link #save} and {@link #saveSnapshot}.
 *
 * <p>Invariant: when {@code save(..., sync=true)} returns, the hard state and entries are on
 * stable storage (one fdatasync); entries passed to {@code save} may overwrite a conflicting tail.
 */
public interface RaftLogStore extends AutoCloseable {

    /** The identity written when the log was created. */
    LogIdentity identity();

    /** What was on disk when the log was opened (the newest snapshot, hard state, later entries). */
    RecoveredLog recovered();

    void save(HardState hardState, List<Entry> entries, boolean sync) throws IOException;

    /** Persists a snapshot (metadata and membership; the key space lives in the backend). */
    void saveSnapshot(Snapshot snapshot) throws IOException;

    /**
     * Releases log files that replay from the snapshot at {@code snapshotIndex} no longer needs.
     * Call only once the backend is durable up to that index.
     */
    void releaseBefore(long snapshotIndex) throws IOException;

    @Override
    void close() throws IOException;

    record LogIdentity(long memberId, long clusterId) {}

    /** hardState is the default instance and snapshot is null when nothing was saved. */
    record RecoveredLog(Snapshot snapshot, HardState hardState, List<Entry> entries) {}
}
