package io.etcdj.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoFloatTest {
    @Test
    void shortest_matches_go_percent_g() {
        assertThat(GoFloat.shortest(10)).isEqualTo("10");
        assertThat(GoFloat.shortest(99.9)).isEqualTo("99.9");
        assertThat(GoFloat.shortest(0.0055)).isEqualTo("0.0055");
        assertThat(GoFloat.shortest(0.0001)).isEqualTo("0.0001");
        assertThat(GoFloat.shortest(1.2345e-05)).isEqualTo("1.2345e-05");
        assertThat(GoFloat.shortest(123456)).isEqualTo("123456");
        assertThat(GoFloat.shortest(1e6)).isEqualTo("1e+06");
        assertThat(GoFloat.shortest(1234567.5)).isEqualTo("1.2345675e+06");
        assertThat(GoFloat.shortest(-0.5)).isEqualTo("-0.5");
        assertThat(GoFloat.shortest(0)).isEqualTo("0");
    }

    @Test
    void fixed_is_go_percent_4_4f() {
        assertThat(GoFloat.fixed4(0.00004)).isEqualTo("0.0000");
        assertThat(GoFloat.fixed4(3831.123456)).isEqualTo("3831.1235");
    }

    @Test
    void durations_print_as_go_time_duration_string() {
        assertThat(GoFloat.duration(0)).isEqualTo("0s");
        assertThat(GoFloat.duration(999)).isEqualTo("999ns");
        assertThat(GoFloat.duration(250_000)).isEqualTo("250µs");
        assertThat(GoFloat.duration(1_500_000)).isEqualTo("1.5ms");
        assertThat(GoFloat.duration(2_000_001_000L)).isEqualTo("2.000001s");
        assertThat(GoFloat.duration(61_000_000_000L)).isEqualTo("1m1s");
        assertThat(GoFloat.duration(3_723_500_000_000L)).isEqualTo("1h2m3.5s");
    }
}
