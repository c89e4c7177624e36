package io.etcdj.benchmark.report;

import java.util.Map;

/**
 * Prints a {@link Summary} in etcd's benchmark text layout:
 *
 * <pre>
 * Summary:
 *   Total:	1.2345 secs.
 *   ...
 *   Requests/sec:	810.0000
 *
 * Response time histogram:
 *   0.0010 [1]	|∎∎∎∎
 *
 * Latency distribution:
 *   10% in 0.0012 secs.
 * </pre>
 *
 * Numbers use Go's {@code %4.4f}, or Go's shortest {@code %g} with {@code --precise}. The whole
 * summary block appears only when at least one request succeeded; the error block only when one
 * failed.
 */
public final class SummaryText {
    private static final String BAR = "∎";
    private final boolean precise;

    public SummaryText(boolean precise) {
        this.precise = precise;
    }

    public String format(Summary s) {
        StringBuilder b = new StringBuilder();
        if (s.count() > 0) {
            b.append("\nSummary:\n");
            b.append("  Total:\t").append(secs(s.totalSeconds())).append(".\n");
            b.append("  Slowest:\t").append(secs(s.slowest())).append(".\n");
            b.append("  Fastest:\t").append(secs(s.fastest())).append(".\n");
            b.append("  Average:\t").append(secs(s.average())).append(".\n");
            b.append("  Stddev:\t").append(secs(s.stddev())).append(".\n");
            b.append("  Requests/sec:\t").append(num(s.requestsPerSecond())).append('\n');
            histogram(b, s.histogram());
            latencies(b, s.percentiles());
            if (s.samples() != null) {
                samples(b, s);
            }
        }
        if (!s.errors().isEmpty()) {
            b.append("\nError distribution:\n");
            for (Map.Entry<String, Long> e : s.errors().entrySet()) {
                b.append("  [").append(e.getValue()).append("]\t").append(e.getKey()).append('\n');
            }
        }
        return b.toString();
    }

    private void histogram(StringBuilder b, Summary.Histogram h) {
        b.append("\nResponse time histogram:\n");
        long max = h.max();
        for (int i = 0; i < h.bounds().length; i++) {
            int barLen = max > 0 ? (int) (h.counts()[i] * 40 / max) : 0;
            b.append("  ").append(num(h.bounds()[i])).append(" [").append(h.counts()[i]).append("]\t|")
                    .append(BAR.repeat(barLen)).append('\n');
        }
    }

    private void latencies(StringBuilder b, double[] data) {
        b.append("\nLatency distribution:\n");
        for (int i = 0; i < data.length; i++) {
            if (data[i] > 0) {
                b.append("  ").append(GoFloat.shortest(Summary.PERCENTILES[i])).append("% in ").append(secs(data[i]))
                        .append(".\n");
            }
        }
    }

    private static void samples(StringBuilder b, Summary s) {
        b.append("\nSample in one second (unix latency throughput):\n");
        b.append("UNIX-SECOND,MIN-LATENCY-MS,AVG-LATENCY-MS,MAX-LATENCY-MS,AVG-THROUGHPUT\n");
        for (SecondSample p : s.samples()) {
            b.append(p.unixSecond()).append(',').append(GoFloat.duration(p.minLatencyNanos())).append(',')
                    .append(GoFloat.duration(p.avgLatencyNanos())).append(',')
                    .append(GoFloat.duration(p.maxLatencyNanos())).append(',').append(p.count()).append('\n');
        }
        b.append('\n');
    }

    private String secs(double v) {
        return num(v) + " secs";
    }

    private String num(double v) {
        return precise ? GoFloat.shortest(v) : GoFloat.fixed4(v);
    }
}
