package io.etcdj.mvcc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.BackendBatch;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.mvcc.backend.MetaKeys;

/**
 * Deletes from the {@code key} bucket every revision {@code <= compactRev} that the index compaction did
 * not keep, in batches that each look at no more than {@link CompactionPacing#batchLimit()} stored
 * revisions (as etcd's batches do) and commit their deletions on their own, without the consistent
 * index, with {@link CompactionPacing#sleepInterval()} between batches; then records
 * {@code finishedCompactRev}. No store lock is needed: nothing it
 * deletes is reachable through the (already compacted) index, and reads below the compaction revision
 * are refused. Idempotent, so an interrupted run is simply repeated after restart.
 */
final class PhysicalCompaction implements Runnable {
    private final Backend backend;
    private final long compactRev;
    private final Set<Revision> keep;
    private final CompactionPacing pacing;
    private final BooleanSupplier stopping;

    /** @param stopping checked between batches; when true the run ends early, unfinished (resumed on reopen) */
    PhysicalCompaction(Backend backend, long compactRev, Set<Revision> keep, CompactionPacing pacing,
                       BooleanSupplier stopping) {
        this.backend = backend;
        this.compactRev = compactRev;
        this.keep = keep;
        this.pacing = pacing;
        this.stopping = stopping;
    }

    @Override
    public void run() {
        byte[] end = Revision.of(compactRev + 1).toBytes();
        byte[] from = null;
        int limit = pacing.batchLimit();
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
                return visited[0] < limit;
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
            if (last[0] == null || visited[0] < limit) {
                break;
            }
            from = Arrays.copyOf(last[0], last[0].length + 1); // the smallest key after last
            pause();
        }
        BackendBatch done = backend.newBatch();
        done.put(Bucket.META, MetaKeys.FINISHED_COMPACT_REV, Revision.of(compactRev).toBytes());
        backend.failpoint("compactBeforeSetFinishedCompact");
        backend.commitWithoutConsistentIndex(done);
        backend.failpoint("compactAfterSetFinishedCompact");
    }

    /** Lets writes have the backend between two batches; cut short when the store is closing. */
    private void pause() {
        long deadline = System.nanoTime() + pacing.sleepInterval().toNanos();
        long left;
        while (!stopping.getAsBoolean() && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(left, 1_000_000));
        }
    }
}
