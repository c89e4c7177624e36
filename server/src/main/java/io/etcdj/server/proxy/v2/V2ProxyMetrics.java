package io.etcdj.server.proxy.v2;

import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpHandler;
import io.etcdj.server.v2.http.V2HttpResponse;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * The v2 proxy's own metrics, with etcd's names, labels and help texts, served on
 * {@code /metrics} of the proxy's port (outside the readonly check, as etcd routes it): requests
 * coming in, requests answered by a member (by status), requests dropped by the proxy (by why),
 * and how long answered requests took.
 */
final class V2ProxyMetrics implements V2HttpHandler {
    /** etcd's reasons for a dropped request (label proxying_error). */
    enum Drop {
        ZERO_ENDPOINTS("zero_endpoints"), FAILED_SENDING_REQUEST("failed_sending_request"),
        FAILED_GETTING_RESPONSE("failed_getting_response");

        final String label;

        Drop(String label) {
            this.label = label;
        }
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("etcd_proxy_requests_total")
            .help("Counter requests incoming by method.").labelNames("method").register(registry);
    private final Counter handled = Counter.builder().name("etcd_proxy_handled_total")
            .help("Counter of requests fully handled (by authoratitave servers)").labelNames("method", "code")
            .register(registry);
    private final Counter dropped = Counter.builder().name("etcd_proxy_dropped_total")
            .help("Counter of requests dropped on the proxy.").labelNames("method", "proxying_error")
            .register(registry);
    private final Histogram handlingSeconds = Histogram.builder().name("etcd_proxy_handling_duration_seconds")
            .help("Bucketed histogram of handling time of successful events (non-watches), by method (GET/PUT etc.).")
            .labelNames("method").classicOnly().classicExponentialUpperBounds(0.0005, 2, 13).register(registry);

    void incoming(String method) {
        requests.labelValues(method).inc();
    }

    void handled(String method, int status, long startNanos) {
        handled.labelValues(method, Integer.toString(status)).inc();
        handlingSeconds.labelValues(method).observe((System.nanoTime() - startNanos) / 1e9);
    }

    void dropped(String method, Drop why) {
        dropped.labelValues(method, why.label).inc();
    }

    @Override
    public void handle(V2HttpExchange ex) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ex.respond(V2HttpResponse.withoutCors(200).header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .body(out.toByteArray()));
    }
}
