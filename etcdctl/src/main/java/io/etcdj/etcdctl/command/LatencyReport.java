package io.etcdj.etcdctl.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What etcd's pkg/report makes of a load run, for the check commands: successful requests' latencies,
 * failures counted by error text, the requests per second over the run, the slowest latency and the
 * (population) standard deviation of latencies, in seconds. Thread-safe.
 */
final class LatencyReport {
    private final List<Double> latencies = new ArrayList<>();
    private final Map<String, Integer> errors = new LinkedHashMap<>();
    private final long startNanos = System.nanoTime();
    private long endNanos;

    synchronized void success(long startNanos, long endNanos) {
        latencies.add((endNanos - startNanos) / 1e9);
    }

    synchronized void failure(String error) {
        errors.merge(error, 1, Integer::sum);
    }

    /** Marks the end of the run (the total time RPS divides by). */
    synchronized void end() {
        endNanos = System.nanoTime();
    }

    synchronized Map<String, Integer> errors() {
        return new LinkedHashMap<>(errors);
    }

    synchronized double rps() {
        return latencies.size() / ((endNanos - startNanos) / 1e9);
    }

    synchronized double slowest() {
        return latencies.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    synchronized double stddev() {
        if (latencies.isEmpty()) {
            return 0;
        }
        double mean = latencies.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double sq = 0;
        for (double l : latencies) {
            sq += (l - mean) * (l - mean);
        }
        return Math.sqrt(sq / latencies.size());
    }
}
