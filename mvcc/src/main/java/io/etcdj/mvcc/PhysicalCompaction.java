package io.etcdj.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.BackendBatch;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.mvcc.backend.MetaKeys;

/**
 * Deletes from the {@code key} bucket every revision {@code <= compactRev} that the index compaction did
 * not keep, in batches of at most {@link #BATCH_DELETES} deletions (each its own atomic commit, without
 * the consistent index), then records {@code finishedCompactRev}. No store lock is needed: nothing it
 * deletes is reachable through the (already compacted) index, and reads below the compaction revision
 * are refused. Idempotent, so an interrupted run is simply repeated after restart.
 */
final class PhysicalCompaction implements Runnable {
    static final int BATCH_DELETES = 1000;
    static final int BATCH_VISITS = 10_000;

    private final Backend backend;
    private final long compactRev;
    private final Set<Revision> keep;
    private final BooleanSupplier stopping;

    /** @param stopping checked between batches; when true the run ends early, unfinished (resumed on reopen) */
    PhysicalCompaction(Backend backend, long compactRev, Set<Revision> keep, BooleanSupplier stopping) {
        this.backend = backend;
        this.compactRev = compactRev;
        this.keep = keep;
        this.stopping = stopping;
    }

    @Override
    public void run() {
        byte[] end = Revision.of(compactRev + 1).toBytes();
        byte[] from = null;
        while (true) {
            if (stopping.getAsBoolean()) {
                return;
            }
            List<byte[]> doomed = new ArrayList<>();
            byte[][] last = new byte[1][];
            int[] visited = new int[1];
            backend.forEach(Bucket.KEY, from, end, (k, v) -> {
                last[0] = k;
                visited[0]++;
                if (!keep.contains(Revision.fromBytes(k))) {
                    doomed.add(k);
                }
                return doomed.size() < BATCH_DELETES && visited[0] < BATCH_VISITS;
            });
            if (!doomed.isEmpty()) {
                BackendBatch batch = backend.newBatch();
                for (byte[] k : doomed) {
                    batch.delete(Bucket.KEY, k);
                }
                backend.failpoint("compactBeforeCommitBatch");
                backend.commitWithoutConsistentIndex(batch);
                backend.failpoint("compactAfterCommitBatch");
            }
            if (last[0] == null || (doomed.size() < BATCH_DELETES && visited[0] < BATCH_VISITS)) {
                break;
            }
            from = Arrays.copyOf(last[0], last[0].length + 1); // the smallest key after last
        }
        BackendBatch done = backend.newBatch();
        done.put(Bucket.META, MetaKeys.FINISHED_COMPACT_REV, Revision.of(compactRev).toBytes());
        backend.failpoint("compactBeforeSetFinishedCompact");
        backend.commitWithoutConsistentIndex(done);
        backend.failpoint("compactAfterSetFinishedCompact");
    }
}
