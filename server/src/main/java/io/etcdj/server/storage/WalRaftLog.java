package io.etcdj.server.storage;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.wal.SnapshotMarker;
import io.etcdj.wal.Wal;
import io.etcdj.wal.WalContents;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link RaftLogStore} over the wal module's {@link Wal}. The WAL's metadata record holds this
 * member's ID and the cluster ID (16 bytes, big-endian), as etcd's holds them.
 */
public final class WalRaftLog implements RaftLogStore {
    private final Wal wal;
    private final LogIdentity identity;
    private final RecoveredLog recovered;
    private final boolean noFsync;

    private WalRaftLog(Wal wal, LogIdentity identity, RecoveredLog recovered, boolean noFsync) {
        this.wal = wal;
        this.identity = identity;
        this.recovered = recovered;
        this.noFsync = noFsync;
    }

    /** Creates a new, empty log in {@code walDir}. */
    public static WalRaftLog create(Path walDir, LogIdentity identity, boolean noFsync) throws IOException {
        Wal wal = Wal.create(walDir, encode(identity));
        return new WalRaftLog(wal, identity, new RecoveredLog(null, HardState.getDefaultInstance(), List.of()), noFsync);
    }

    /** Opens the log in {@code walDir} and replays it (no raft snapshot support yet: from the start). */
    public static WalRaftLog open(Path walDir, boolean noFsync) throws IOException {
        Wal wal = Wal.open(walDir, SnapshotMarker.ZERO);
        try {
            WalContents c = wal.readAll();
            return new WalRaftLog(wal, decode(c.metadata()), new RecoveredLog(null, c.hardState(), c.entries()), noFsync);
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
        wal.saveSnapshotMarker(new SnapshotMarker(snapshot.getMetadata().getIndex(), snapshot.getMetadata().getTerm()));
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
