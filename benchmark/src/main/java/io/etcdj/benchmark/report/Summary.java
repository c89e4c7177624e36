package io.etcdj.benchmark.report;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The statistics of one benchmark run, computed as etcd's report computes them: latencies in
 * seconds sorted ascending; average and population standard deviation over the successful
 * requests; requests/sec = successes / total wall time; percentiles 10, 25, 50, 75, 90, 95, 99,
 * 99.9 each taken as the first latency whose rank {@code i*100/n} reaches it; a histogram of ten
 * equal-width buckets from the fastest to the slowest plus a last bucket at the slowest.
 *
 * @param latencies sorted ascending, in seconds (never modified after construction)
 * @param samples per-second samples, or null when {@code --sample} was not asked for
 */
public record Summary(double totalSeconds, double[] latencies, Map<String, Long> errors, double fastest,
        double slowest, double average, double stddev, double requestsPerSecond, List<SecondSample> samples) {

    /** The percentiles etcd reports, in order. */
    public static final double[] PERCENTILES = {10, 25, 50, 75, 90, 95, 99, 99.9};

    /** Takes ownership of {@code lats} (sorts it in place). */
    public static Summary of(double[] lats, Map<String, Long> errors, double totalSeconds, List<SecondSample> samples) {
        Arrays.sort(lats);
        int n = lats.length;
        double sum = 0;
        for (double l : lats) {
            sum += l;
        }
        double avg = n == 0 ? 0 : sum / n;
        double var = 0;
        for (double l : lats) {
            var += (l - avg) * (l - avg);
        }
        double stddev = n == 0 ? 0 : Math.sqrt(var / n);
        double rps = totalSeconds > 0 ? n / totalSeconds : 0;
        return new Summary(totalSeconds, lats, Map.copyOf(errors), n == 0 ? 0 : lats[0], n == 0 ? 0 : lats[n - 1],
                avg, stddev, rps, samples);
    }

    public int count() {
        return latencies.length;
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The latency at each of {@link #PERCENTILES} (0 where the run had too few requests). */
    public double[] percentiles() {
        double[] data = new double[PERCENTILES.length];
        int j = 0;
        int n = latencies.length;
        for (int i = 0; i < n && j < PERCENTILES.length; i++) {
            double rank = i * 100.0 / n;
            if (rank >= PERCENTILES[j]) {
                data[j] = latencies[i];
                j++;
            }
        }
        return data;
    }

    /** The latency at an arbitrary percentile by the same rule (0 for an empty run). */
    public double percentile(double p) {
        int n = latencies.length;
        for (int i = 0; i < n; i++) {
            if (i * 100.0 / n >= p) {
                return latencies[i];
            }
        }
        return n == 0 ? 0 : latencies[n - 1];
    }

    /** Eleven bucket upper bounds (fastest + k*width for k &lt; 10, then slowest) with their counts. */
    public Histogram histogram() {
        int bc = 10;
        double[] bounds = new double[bc + 1];
        long[] counts = new long[bc + 1];
        double width = (slowest - fastest) / bc;
        for (int i = 0; i < bc; i++) {
            bounds[i] = fastest + width * i;
        }
        bounds[bc] = slowest;
        int bi = 0;
        for (int i = 0; i < latencies.length;) {
            if (latencies[i] <= bounds[bi]) {
                i++;
                counts[bi]++;
            } else if (bi < bounds.length - 1) {
                bi++;
            } else {
                // Unreachable for a sorted array whose last element is the last bound; guards NaN.
                i++;
            }
        }
        return new Histogram(bounds, counts);
    }

    /** Bucket upper bounds and how many latencies fell at or below each (and above the previous). */
    public record Histogram(double[] bounds, long[] counts) {
        public long max() {
            long m = 0;
            for (long c : counts) {
                m = Math.max(m, c);
            }
            return m;
        }
    }
}
