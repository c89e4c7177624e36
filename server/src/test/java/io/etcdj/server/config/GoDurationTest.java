package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "5s, 5000000000",
        "2h, 7200000000000",
        "1h30m, 5400000000000",
        "100ms, 100000000",
        "1.5s, 1500000000",
        ".5s, 500000000",
        "-3m, -180000000000",
        "+10us, 10000",
        "7ns, 7",
        "1h2m3s4ms5us6ns, 3723004005006",
    })
    void parsesGoSyntax(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @CsvSource({"''", "5", "s", "1x", "1.s.", "--1s", "9223372036854775808ns"})
    void rejectsWhatGoRejects(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0s",
        "100000000, 100ms",
        "60000000000, 1m0s",
        "7200000000000, 2h0m0s",
        "20000000000, 20s",
        "1500000000, 1.5s",
        "1500, 1.5\u00b5s",
        "12, 12ns",
        "-5000000000, -5s",
        "3723004005006, 1h2m3.004005006s",
    })
    void formatsLikeGo(long nanos, String text) {
        assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
    }

    @Test
    void theExtremesOfInt64RoundTrip() {
        for (long n : new long[] {Long.MIN_VALUE, Long.MAX_VALUE}) {
            assertThat(GoDuration.parse(GoDuration.format(Duration.ofNanos(n)))).isEqualTo(Duration.ofNanos(n));
        }
        assertThat(GoDuration.format(Duration.ofNanos(Long.MIN_VALUE))).isEqualTo("-2562047h47m16.854775808s");
    }

    @Test
    void microSignVariantsAreAccepted() {
        assertThat(GoDuration.parse("3\u00b5s")).isEqualTo(Duration.ofNanos(3000));
        assertThat(GoDuration.parse("3\u03bcs")).isEqualTo(Duration.ofNanos(3000));
    }
}
