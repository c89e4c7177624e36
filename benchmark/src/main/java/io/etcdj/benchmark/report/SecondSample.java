package io.etcdj.benchmark.report;

/** What happened to the requests started within one wall-clock second ({@code --sample}). */
public record SecondSample(long unixSecond, long minLatencyNanos, long avgLatencyNanos, long maxLatencyNanos,
        long count) {

    static final class Builder {
        private final long second;
        private long min = Long.MAX_VALUE;
        private long max;
        private long sum;
        private long count;

        Builder(long second) {
            this.second = second;
        }

        void add(long latency) {
            min = Math.min(min, latency);
            max = Math.max(max, latency);
            sum += latency;
            count++;
        }

        SecondSample build() {
            return new SecondSample(second, min, count == 0 ? 0 : sum / count, max, count);
        }
    }
}
