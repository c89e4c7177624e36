package io.etcdj.server.clientport;

import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.etcdj.server.EtcdServer;
import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpHandler;
import io.etcdj.server.v2.http.V2HttpResponse;
import io.etcdj.server.metrics.MemberMetrics;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * GET /metrics in Prometheus' text format with etcd's metric names and help texts. The member's
 * status is read once per scrape and every gauge here is taken from it, so they agree with each
 * other and with {@code endpoint status}.
 */
public final class MetricsEndpoint implements V2HttpHandler {
    private final PrometheusRegistry registry;
    private final EtcdServer server;
    /** The member's figures as of the scrape in progress: read once, seen by every gauge. */
    private StatusResponse scraped = StatusResponse.getDefaultInstance();

    /** Registers the gauges read from the member into {@code metrics}' registry. */
    public MetricsEndpoint(EtcdServer server, MemberMetrics metrics, String serverVersion, String clusterVersion) {
        this.server = server;
        this.registry = metrics.registry();
        gauge("etcd_server_has_leader", "Whether or not a leader exists. 1 is existence, 0 is not.",
                s -> s.getLeader() != 0 ? 1 : 0);
        gauge("etcd_server_is_leader", "Whether or not this member is a leader. 1 if is, 0 otherwise.",
                s -> s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId() ? 1 : 0);
        gauge("etcd_server_is_learner", "Whether or not this member is a learner. 1 if is, 0 otherwise.",
                s -> s.getIsLearner() ? 1 : 0);
        gauge("etcd_server_proposals_committed_total", "The total number of consensus proposals committed.",
                StatusResponse::getRaftIndex);
        gauge("etcd_server_proposals_applied_total", "The total number of consensus proposals applied.",
                StatusResponse::getRaftAppliedIndex);
        gauge("etcd_server_proposals_pending", "The current number of pending proposals to commit.",
                s -> Math.max(0, s.getRaftIndex() - s.getRaftAppliedIndex()));
        gauge("etcd_mvcc_db_total_size_in_bytes",
                "Total size of the underlying database physically allocated in bytes.", StatusResponse::getDbSize);
        gauge("etcd_mvcc_db_total_size_in_use_in_bytes",
                "Total size of the underlying database logically in use in bytes.", StatusResponse::getDbSizeInUse);
        gauge("etcd_debugging_mvcc_current_revision", "The current revision of store.",
                s -> s.getHeader().getRevision());
        GaugeWithCallback.builder().name("etcd_server_version")
                .help("Which version is running. 1 for 'server_version' label with current version.")
                .labelNames("server_version").callback(cb -> cb.call(1, serverVersion)).register(registry);
        String majorMinor = clusterVersion.substring(0, clusterVersion.lastIndexOf('.'));
        GaugeWithCallback.builder().name("etcd_cluster_version")
                .help("Which version is running. 1 for 'cluster_version' label with current cluster version")
                .labelNames("cluster_version").callback(cb -> cb.call(1, majorMinor)).register(registry);
        GaugeWithCallback.builder().name("etcd_server_id")
                .help("Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.")
                .labelNames("server_id").callback(cb -> cb.call(1, Long.toHexString(server.memberId())))
                .register(registry);
    }

    private void gauge(String name, String help, ToDoubleFunction<StatusResponse> value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(cb -> cb.call(value.applyAsDouble(scraped))).register(registry);
    }

    private StatusResponse status() {
        try {
            return server.status(StatusRequest.getDefaultInstance()).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return StatusResponse.getDefaultInstance();
        }
    }

    @Override
    public void handle(V2HttpExchange ex) {
        if (!ex.method().equals("GET") && !ex.method().equals("HEAD")) {
            ex.respond(V2HttpResponse.plainError(405, "Method Not Allowed").header("Allow", "GET"));
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
            synchronized (this) {
                scraped = status();
                writer.write(out, registry.scrape());
            }
            writer.write(out, MemberMetrics.processRegistry().scrape());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ex.respond(new V2HttpResponse(200).header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .body(out.toString(StandardCharsets.UTF_8)));
    }
}
