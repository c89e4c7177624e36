package io.etcdj.raftsim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs a range of seeds over several threads. Each seed runs start to finish on one thread and
 * is deterministic on its own, so spreading seeds over threads changes nothing but wall time.
 */
public final class SeedRunner {
    /** What a range of seeds came to; {@code failures} is ordered by seed. */
    public record Summary(long seeds, long events, long passed, List<SimulationResult> failures, long wallMillis,
                          Coverage coverage) {}

    private SeedRunner() {}

    public static Summary run(long firstSeed, long count, int threads, SimulationConfig config) {
        long start = System.nanoTime();
        AtomicLong next = new AtomicLong(firstSeed);
        long end = firstSeed + count;
        LongAdder events = new LongAdder();
        LongAdder passed = new LongAdder();
        ConcurrentSkipListMap<Long, SimulationResult> failures = new ConcurrentSkipListMap<>();
        Coverage coverage = new Coverage();
        Runnable worker = () -> {
            for (long seed = next.getAndIncrement(); seed < end; seed = next.getAndIncrement()) {
                SimulationResult result = Simulation.run(seed, config);
                events.add(result.events());
                synchronized (coverage) {
                    coverage.add(result.coverage());
                }
                if (result.passed()) {
                    passed.increment();
                } else {
                    failures.put(seed, result);
                }
            }
        };
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < Math.max(1, threads); i++) {
            Thread t = new Thread(worker, "raft-sim-" + i);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running seeds", e);
            }
        }
        return new Summary(count, events.sum(), passed.sum(), new ArrayList<>(failures.values()),
                (System.nanoTime() - start) / 1_000_000, coverage);
    }
}
