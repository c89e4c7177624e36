package io.etcdj.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.benchmark.compare.Measurement;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryJsonTest {
    @Test
    void one_line_carries_the_figures_a_script_needs() {
        double[] lats = new double[100];
        for (int i = 0; i < 100; i++) {
            lats[i] = (i + 1) / 1000.0;
        }
        Summary s = Summary.of(lats, Map.of("rpc error: code = Unavailable desc = \"x\"", 2L), 0.5, null);
        String json = SummaryJson.format("put", s);
        assertThat(json).doesNotContain("\n").startsWith("{\"name\":\"put\",").endsWith("}");
        assertThat(json).contains("\"requests\":100", "\"errors\":2", "\"rps\":200.0", "\"50\":0.051", "\"99.9\":0.0",
                "\"error_distribution\":{\"rpc error: code = Unavailable desc = \\\"x\\\"\":2}");
        Measurement m = Measurement.fromJsonLines("noise\n" + json + "\n", "put");
        assertThat(m.ok()).isTrue();
        assertThat(m.rps()).isEqualTo(200.0);
        assertThat(m.p50()).isEqualTo(0.051);
        assertThat(m.p99()).isEqualTo(0.1);
        assertThat(m.errors()).isEqualTo(2);
        assertThat(Measurement.fromJsonLines(json, "range").ok()).isFalse();
    }
}
