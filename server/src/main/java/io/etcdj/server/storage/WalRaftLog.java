package io.etcdj.server.storage;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.server.failpoint.Failpoints;
import io.etcdj.wal.SnapshotMarker;
import io.etcdj.wal.SnapshotStore;
import io.etcdj.wal.Wal;
import io.etcdj.wal.WalContents;
import io.etcdj.wal.WalOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link RaftLogStore} over the wal module's {@link Wal} and {@link SnapshotStore}. The WAL's
 * metadata record holds this member's ID and the cluster ID (16 bytes, big-endian), as etcd's
 * holds them. Saving a snapshot writes the .snap file, then the WAL marker (etcd's order), then
 * releases WAL segments and .snap files no longer needed (keeping --max-wals / --max-snapshots).
 */
public final class WalRaftLog implements RaftLogStore {
    private final Wal wal;
    private final SnapshotStore snapshots;
    private final LogIdentity identity;
    private final RecoveredLog recovered;
    private final boolean noFsync;

    private WalRaftLog(Wal wal, SnapshotStore snapshots, LogIdentity identity, RecoveredLog recovered,
                       boolean noFsync) {
        this.wal = wal;
        this.snapshots = snapshots;
        this.identity = identity;
        this.recovered = recovered;
        this.noFsync = noFsync;
    }

    /** Retention and fsync settings. */
    public record Options(int maxWals, int maxSnapshots, boolean noFsync) {
        WalOptions walOptions() {
            return WalOptions.DEFAULTS.withMaxWals(maxWals);
        }
    }

    /** Creates a new, empty log in {@code walDir}; snapshots go to {@code snapDir}. */
    public static WalRaftLog create(Path walDir, Path snapDir, LogIdentity identity, Options options)
            throws IOException {
        Wal wal = Wal.create(walDir, encode(identity), options.walOptions());
        return new WalRaftLog(wal, new SnapshotStore(snapDir, options.maxSnapshots()), identity,
                new RecoveredLog(null, HardState.getDefaultInstance(), List.of()), options.noFsync());
    }

    /**
     * Opens the log: the newest snapshot file that the WAL has a valid marker for, then the WAL
     * replayed from that snapshot.
     */
    public static WalRaftLog open(Path walDir, Path snapDir, Options options) throws IOException {
        SnapshotStore snapshots = new SnapshotStore(snapDir, options.maxSnapshots());
        Snapshot snapshot = snapshots.loadNewestAvailable(Wal.validSnapshotMarkers(walDir)).orElse(null);
        SnapshotMarker from = snapshot == null ? SnapshotMarker.ZERO
                : new SnapshotMarker(snapshot.getMetadata().getIndex(), snapshot.getMetadata().getTerm());
        Wal wal = Wal.open(walDir, from, options.walOptions());
        try {
            WalContents c = wal.readAll();
            return new WalRaftLog(wal, snapshots, decode(c.metadata()),
                    new RecoveredLog(snapshot, c.hardState(), c.entries()), options.noFsync());
        } catch (IOException | RuntimeException e) {
            wal.close();
            throw e;
        }
    }

    @Override
    public LogIdentity identity() {
        return identity;
    }

    @Override
    public RecoveredLog recovered() {
        return recovered;
    }

    @Override
    public void save(HardState hardState, List<Entry> entries, boolean sync) throws IOException {
        wal.save(hardState, entries, sync && !noFsync);
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) throws IOException {
        Failpoints.hit("raftBeforeSaveSnap");
        snapshots.save(snapshot);
        wal.saveSnapshotMarker(new SnapshotMarker(snapshot.getMetadata().getIndex(), snapshot.getMetadata().getTerm()));
        Failpoints.hit("raftAfterSaveSnap");
    }

    @Override
    public void releaseBefore(long snapshotIndex) throws IOException {
        wal.purge(snapshotIndex);
    }

    @Override
    public void close() throws IOException {
        wal.close();
    }

    private static byte[] encode(LogIdentity id) {
        return ByteBuffer.allocate(16).putLong(id.memberId()).putLong(id.clusterId()).array();
    }

    private static LogIdentity decode(byte[] metadata) throws IOException {
        if (metadata == null || metadata.length != 16) {
            throw new IOException("wal metadata is not a member/cluster ID pair");
        }
        ByteBuffer b = ByteBuffer.wrap(metadata);
        return new LogIdentity(b.getLong(), b.getLong());
    }
}
