package io.etcdj.server;

import java.time.Duration;
import java.util.List;

/**
 * How a member reports on itself: metrics detail and extra metrics listeners, and the thresholds
 * above which slow work is logged as a warning.
 *
 * @param extensiveMetrics --metrics=extensive (adds gRPC handling-time histograms)
 * @param listenMetricsUrls --listen-metrics-urls: extra http URLs serving only /metrics and /health
 * @param warningApplyDuration --experimental-warning-apply-duration: "apply request took too long"
 * @param warningUnaryRequestDuration --warning-unary-request-duration: "request stats" warnings
 */
public record ObservabilitySettings(boolean extensiveMetrics, List<String> listenMetricsUrls,
                                    Duration warningApplyDuration, Duration warningUnaryRequestDuration) {
    /** etcd's defaults: basic metrics, no extra listener, 100 ms to apply, 300 ms per unary request. */
    public static final ObservabilitySettings DEFAULTS =
            new ObservabilitySettings(false, List.of(), Duration.ofMillis(100), Duration.ofMillis(300));

    public ObservabilitySettings {
        listenMetricsUrls = List.copyOf(listenMetricsUrls);
    }
}
