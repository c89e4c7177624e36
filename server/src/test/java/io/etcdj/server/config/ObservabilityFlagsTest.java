package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.ObservabilitySettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics, logging and slow-work flags as a member receives them. */
class ObservabilityFlagsTest {
    private static EtcdConfig parse(Map<String, String> env, String... args) throws ConfigException {
        return EtcdConfigParser.parse(args, env, StartupLog.NONE);
    }

    @Test
    void defaultsAreEtcds() throws Exception {
        EtcdConfig c = parse(Map.of());
        assertThat(c.observability()).isEqualTo(ObservabilitySettings.DEFAULTS);
        assertThat(c.logFormat()).isEqualTo("json");
        assertThat(c.logLevel()).isEqualTo("info");
        assertThat(c.logOutputs()).containsExactly("default");
    }

    @Test
    void metricsFlagsReachTheMember() throws Exception {
        ObservabilitySettings o = parse(Map.of(), "--metrics", "extensive",
                "--listen-metrics-urls", "http://127.0.0.1:2381,http://127.0.0.2:2381").observability();
        assertThat(o.extensiveMetrics()).isTrue();
        assertThat(o.listenMetricsUrls()).containsExactly("http://127.0.0.1:2381", "http://127.0.0.2:2381");
    }

    @Test
    void eitherNameOfTheSlowRequestThresholdWorksAndTheStableNameWins() throws Exception {
        assertThat(parse(Map.of(), "--warning-unary-request-duration", "1s").observability()
                .warningUnaryRequestDuration()).isEqualTo(Duration.ofSeconds(1));
        assertThat(parse(Map.of("ETCD_EXPERIMENTAL_WARNING_UNARY_REQUEST_DURATION", "2s")).observability()
                .warningUnaryRequestDuration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(parse(Map.of(), "--experimental-warning-unary-request-duration", "2s",
                "--warning-unary-request-duration", "1s").observability().warningUnaryRequestDuration())
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(parse(Map.of(), "--experimental-warning-apply-duration", "250ms").observability()
                .warningApplyDuration()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void logFormatIsAcceptedThoughThe35HelpDoesNotListIt() throws Exception {
        assertThat(parse(Map.of(), "--log-format", "console").logFormat()).isEqualTo("console");
        assertThat(List.of(EtcdFlags.LOG_FORMAT.section(), EtcdFlags.WARNING_UNARY_REQUEST_DURATION.section()))
                .containsOnly(Flag.Section.HIDDEN);
    }
}
