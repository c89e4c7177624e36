package io.etcdj.wal;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import java.nio.file.Path;
import java.util.List;

/**
 * What replaying a WAL from a snapshot yields.
 *
 * @param metadata the bytes given to {@link Wal#create} (node id and cluster id, for the server)
 * @param hardState the newest hard state written (the default instance if none)
 * @param entries the entries after the snapshot index, contiguous, with conflicting tails
 *     already replaced by the entries that overwrote them
 * @param repairedTail how a torn tail was repaired, or null if the log ended cleanly
 */
public record WalContents(byte[] metadata, HardState hardState, List<Entry> entries,
        TailRepair repairedTail) {

    /**
     * A torn or garbage tail of the last segment was zeroed.
     *
     * @param file the segment
     * @param offset where the log now ends (appending continues here)
     * @param zeroedBytes how many bytes from {@code offset} on were overwritten with zeros
     */
    public record TailRepair(Path file, long offset, long zeroedBytes) {}
}
