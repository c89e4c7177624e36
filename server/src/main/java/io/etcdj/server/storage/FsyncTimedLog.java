package io.etcdj.server.storage;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import io.etcdj.raft.pb.Snapshot;
import java.io.IOException;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A {@link RaftLogStore} that reports how long each synced save took (the write of the batch
 * and its one fdatasync) — etcd's WAL fsync latency metric. Everything else is passed through.
 */
public final class FsyncTimedLog implements RaftLogStore {
    private final RaftLogStore log;
    private final LongConsumer syncedSaveNanos;

    public FsyncTimedLog(RaftLogStore log, LongConsumer syncedSaveNanos) {
        this.log = log;
        this.syncedSaveNanos = syncedSaveNanos;
    }

    @Override public LogIdentity identity() { return log.identity(); }
    @Override public RecoveredLog recovered() { return log.recovered(); }

    @Override
    public void save(HardState hardState, List<Entry> entries, boolean sync) throws IOException {
        long start = System.nanoTime();
        log.save(hardState, entries, sync);
        if (sync) {
            syncedSaveNanos.accept(System.nanoTime() - start);
        }
    }

    @Override public void saveSnapshot(Snapshot snapshot) throws IOException { log.saveSnapshot(snapshot); }
    @Override public void releaseBefore(long snapshotIndex) throws IOException { log.releaseBefore(snapshotIndex); }
    @Override public void close() throws IOException { log.close(); }
}
