package io.etcdj.server.storage;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.server.config.GoDuration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RaftLogStore} that reports how long each synced save took (the write of the batch
 * and its one fdatasync) — etcd's WAL fsync latency metric — and, as etcd does, warns
 * "slow fdatasync" when one took longer than a second. Everything else is passed through.
 */
public final class FsyncTimedLog implements RaftLogStore {
    private static final Logger slow = LoggerFactory.getLogger(FsyncTimedLog.class);
    /** etcd's threshold for the "slow fdatasync" warning. */
    static final long WARN_SYNC_NANOS = 1_000_000_000L;

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
            long took = System.nanoTime() - start;
            syncedSaveNanos.accept(took);
            if (took > WARN_SYNC_NANOS) {
                slow.atWarn().setMessage("slow fdatasync")
                        .addKeyValue("took", GoDuration.format(Duration.ofNanos(took)))
                        .addKeyValue("expected-duration", "1s").log();
            }
        }
    }

    @Override public void saveSnapshot(Snapshot snapshot) throws IOException { log.saveSnapshot(snapshot); }
    @Override public void releaseBefore(long snapshotIndex) throws IOException { log.releaseBefore(snapshotIndex); }
    @Override public void close() throws IOException { log.close(); }
}
