package io.etcdj.server.raft;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.Snapshot;
import java.util.List;

/** What one Ready hands to the applier: an optional snapshot to restore, then entries in order. */
public record CommittedBatch(Snapshot snapshot, List<Entry> entries) {
    public CommittedBatch {
        entries = List.copyOf(entries);
    }
}
