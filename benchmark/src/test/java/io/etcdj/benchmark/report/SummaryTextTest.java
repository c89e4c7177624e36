package io.etcdj.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryTextTest {
    /** Ten requests of 1..10 ms in one second. */
    private static Summary tenRequests() {
        double[] lats = {0.007, 0.001, 0.010, 0.002, 0.009, 0.003, 0.008, 0.004, 0.006, 0.005};
        return Summary.of(lats, Map.of(), 1.0, null);
    }

    @Test
    void ten_requests_print_etcd_layout_with_four_decimals() {
        String bar = "∎".repeat(40);
        String expected = "\nSummary:\n"
                + "  Total:\t1.0000 secs.\n"
                + "  Slowest:\t0.0100 secs.\n"
                + "  Fastest:\t0.0010 secs.\n"
                + "  Average:\t0.0055 secs.\n"
                + "  Stddev:\t0.0029 secs.\n"
                + "  Requests/sec:\t10.0000\n"
                + "\nResponse time histogram:\n"
                + "  0.0010 [1]\t|" + bar + "\n"
                + "  0.0019 [0]\t|\n"
                + "  0.0028 [1]\t|" + bar + "\n"
                + "  0.0037 [1]\t|" + bar + "\n"
                + "  0.0046 [1]\t|" + bar + "\n"
                + "  0.0055 [1]\t|" + bar + "\n"
                + "  0.0064 [1]\t|" + bar + "\n"
                + "  0.0073 [1]\t|" + bar + "\n"
                + "  0.0082 [1]\t|" + bar + "\n"
                + "  0.0091 [1]\t|" + bar + "\n"
                + "  0.0100 [1]\t|" + bar + "\n"
                + "\nLatency distribution:\n"
                + "  10% in 0.0020 secs.\n"
                + "  25% in 0.0040 secs.\n"
                + "  50% in 0.0060 secs.\n"
                + "  75% in 0.0090 secs.\n"
                + "  90% in 0.0100 secs.\n";
        assertThat(new SummaryText(false).format(tenRequests())).isEqualTo(expected);
    }

    @Test
    void precise_mode_uses_go_shortest_floats() {
        String text = new SummaryText(true).format(tenRequests());
        assertThat(text).contains("  Average:\t0.0055 secs.\n", "  Requests/sec:\t10\n", "  Fastest:\t0.001 secs.\n",
                "  90% in 0.01 secs.\n");
    }

    @Test
    void histogram_bars_scale_to_the_fullest_bucket() {
        double[] lats = new double[101];
        for (int i = 0; i < 100; i++) {
            lats[i] = 0.001;
        }
        lats[100] = 0.011;
        Summary.Histogram h = Summary.of(lats, Map.of(), 1, null).histogram();
        assertThat(h.counts()).containsExactly(100, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        String text = new SummaryText(false).format(Summary.of(lats, Map.of(), 1, null));
        assertThat(text).contains("  0.0010 [100]\t|" + "∎".repeat(40) + "\n", "  0.0110 [1]\t|\n");
    }

    @Test
    void a_thousand_requests_fill_every_percentile_including_99_9() {
        double[] lats = new double[1000];
        for (int i = 0; i < 1000; i++) {
            lats[i] = (i + 1) / 1000.0; // 1 ms .. 1 s
        }
        Summary s = Summary.of(lats, Map.of(), 2.0, null);
        assertThat(s.percentiles()).containsExactly(0.101, 0.251, 0.501, 0.751, 0.901, 0.951, 0.991, 1.0);
        assertThat(s.requestsPerSecond()).isEqualTo(500.0);
        assertThat(new SummaryText(false).format(s)).contains("  99.9% in 1.0000 secs.\n", "  99% in 0.9910 secs.\n");
    }

    @Test
    void failures_are_listed_in_an_error_distribution_and_only_successes_have_a_summary() {
        Summary s = Summary.of(new double[0], Map.of("etcdserver: too many requests", 3L), 1.0, null);
        assertThat(new SummaryText(false).format(s))
                .isEqualTo("\nError distribution:\n  [3]\tetcdserver: too many requests\n");
    }

    @Test
    void per_second_samples_print_as_csv_with_go_durations() {
        Summary s = Summary.of(new double[] {0.001}, Map.of(), 1.0,
                List.of(new SecondSample(1700000000L, 1_000_000L, 1_500_000L, 2_000_000L, 2)));
        assertThat(new SummaryText(false).format(s)).endsWith("\nSample in one second (unix latency throughput):\n"
                + "UNIX-SECOND,MIN-LATENCY-MS,AVG-LATENCY-MS,MAX-LATENCY-MS,AVG-THROUGHPUT\n"
                + "1700000000,1ms,1.5ms,2ms,2\n\n");
    }

    @Test
    void recorder_merges_slots_and_counts_errors() {
        LatencyRecorder r = new LatencyRecorder(2, true);
        r.record(0, 0, 2_000_000);
        r.record(1, 0, 1_000_000);
        r.fail(1, "boom");
        r.fail(0, "boom");
        Summary s = r.summarize(1_000_000_000L);
        assertThat(s.latencies()).containsExactly(0.001, 0.002);
        assertThat(s.errors()).containsEntry("boom", 2L);
        assertThat(s.samples()).hasSize(1);
        assertThat(s.samples().get(0).count()).isEqualTo(2);
    }
}
