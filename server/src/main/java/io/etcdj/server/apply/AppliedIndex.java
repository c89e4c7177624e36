package io.etcdj.server.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The index of the last entry applied to the backend, and futures waiting for it to reach a value.
 * Only the applier advances it (monotonically); anyone may wait. Waiters complete on the applier
 * thread, so dependants must continue asynchronously on their own executor.
 */
public final class AppliedIndex {
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
    private volatile long applied;

    public AppliedIndex(long initial) {
        this.applied = initial;
    }

    public long get() {
        return applied;
    }

    public CompletableFuture<Void> await(long index) {
        if (applied >= index) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (waiters) {
            if (applied >= index) {
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> f = new CompletableFuture<>();
            waiters.computeIfAbsent(index, k -> new ArrayList<>()).add(f);
            return f;
        }
    }

    public void advanceTo(long index) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (waiters) {
            if (index <= applied) {
                return;
            }
            applied = index;
            Map<Long, List<CompletableFuture<Void>>> done = waiters.headMap(index, true);
            done.values().forEach(ready::addAll);
            done.clear();
        }
        ready.forEach(f -> f.complete(null));
    }

    public void failAll(Throwable error) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        synchronized (waiters) {
            waiters.values().forEach(all::addAll);
            waiters.clear();
        }
        all.forEach(f -> f.completeExceptionally(error));
    }
}
