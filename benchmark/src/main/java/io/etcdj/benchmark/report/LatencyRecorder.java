package io.etcdj.benchmark.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the outcome of every request of one benchmark: latencies exactly (no bucketing), error
 * texts counted, and optionally the second each request started in (for {@code --sample}).
 *
 * <p>Invariant: a slot is written by one logical writer at a time (one closed-loop client, whose
 * successive completions are ordered by a happens-before edge); different slots may be written
 * concurrently. {@link #summarize} is called once every writer is finished (after a latch or a
 * join), so it sees every record.
 */
public final class LatencyRecorder {
    private final Slot[] slots;
    private final boolean sampleSeconds;
    private final long wallAtOrigin = System.currentTimeMillis() * 1_000_000L;
    private final long nanoAtOrigin = System.nanoTime();

    public LatencyRecorder(int slotCount, boolean sampleSeconds) {
        this.slots = new Slot[Math.max(1, slotCount)];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(sampleSeconds);
        }
        this.sampleSeconds = sampleSeconds;
    }

    /** Records one successful request of the given slot, timed with {@link System#nanoTime()}. */
    public void record(int slot, long startNanos, long endNanos) {
        slots[slot].add(startNanos, endNanos - startNanos);
    }

    /** Records one failed request of the given slot; failures have no latency, as in etcd. */
    public void fail(int slot, String error) {
        slots[slot].errors.merge(error, 1L, Long::sum);
    }

    /** The number of successful requests recorded so far (only exact once writers are done). */
    public long successes() {
        long n = 0;
        for (Slot s : slots) {
            n += s.size;
        }
        return n;
    }

    /** The summary of everything recorded, for a run that took {@code totalNanos}. */
    public Summary summarize(long totalNanos) {
        int n = 0;
        for (Slot s : slots) {
            n += s.size;
        }
        double[] lats = new double[n];
        Map<String, Long> errors = new TreeMap<>();
        TreeMap<Long, SecondSample.Builder> seconds = new TreeMap<>();
        int k = 0;
        for (Slot s : slots) {
            for (int i = 0; i < s.size; i++) {
                lats[k++] = s.latencies[i] / 1e9;
                if (sampleSeconds) {
                    long second = (wallAtOrigin + (s.starts[i] - nanoAtOrigin)) / 1_000_000_000L;
                    seconds.computeIfAbsent(second, SecondSample.Builder::new).add(s.latencies[i]);
                }
            }
            s.errors.forEach((e, c) -> errors.merge(e, c, Long::sum));
        }
        List<SecondSample> samples = null;
        if (sampleSeconds) {
            samples = new ArrayList<>();
            for (SecondSample.Builder b : seconds.values()) {
                samples.add(b.build());
            }
        }
        return Summary.of(lats, errors, totalNanos / 1e9, samples);
    }

    private static final class Slot {
        long[] latencies = new long[256];
        long[] starts;
        int size;
        final Map<String, Long> errors = new HashMap<>();

        Slot(boolean withStarts) {
            starts = withStarts ? new long[256] : null;
        }

        void add(long start, long latency) {
            if (size == latencies.length) {
                latencies = Arrays.copyOf(latencies, size * 2);
                if (starts != null) {
                    starts = Arrays.copyOf(starts, size * 2);
                }
            }
            latencies[size] = latency;
            if (starts != null) {
                starts[size] = start;
            }
            size++;
        }
    }
}
