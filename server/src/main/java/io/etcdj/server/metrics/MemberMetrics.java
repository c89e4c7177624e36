package io.etcdj.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;

/**
 * The metrics one member exports on /metrics, with etcd's names, help texts, labels and
 * buckets (those etcd's alert rules and Grafana dashboard query), plus the process and JVM
 * metrics of the Prometheus client. One registry per member, so members sharing a JVM (tests,
 * embedding) never mix their figures; the process metrics are registered by the first member only.
 */
public final class MemberMetrics {
    private static final Object PROCESS_METRICS_LOCK = new Object();
    private static boolean processMetricsRegistered;

    private final PrometheusRegistry registry = new PrometheusRegistry();

    public final Histogram walFsyncSeconds = Histogram.builder().name("etcd_disk_wal_fsync_duration_seconds")
            .help("The latency distributions of fsync called by WAL.")
            .classicOnly().classicExponentialUpperBounds(0.001, 2, 14).register(registry);
    public final Histogram backendCommitSeconds = Histogram.builder()
            .name("etcd_disk_backend_commit_duration_seconds")
            .help("The latency distributions of commit called by backend.")
            .classicOnly().classicExponentialUpperBounds(0.001, 2, 14).register(registry);
    public final Counter leaderChanges = Counter.builder().name("etcd_server_leader_changes_seen_total")
            .help("The number of leader changes seen.").register(registry);
    public final Counter proposalsFailed = Counter.builder().name("etcd_server_proposals_failed_total")
            .help("The total number of failed proposals seen.").register(registry);
    public final Counter peerSentBytes = Counter.builder().name("etcd_network_peer_sent_bytes_total")
            .help("The total number of bytes sent to peers.").labelNames("To").register(registry);
    public final Counter peerReceivedBytes = Counter.builder().name("etcd_network_peer_received_bytes_total")
            .help("The total number of bytes received from peers.").labelNames("From").register(registry);
    public final Counter clientGrpcSentBytes = Counter.builder().name("etcd_network_client_grpc_sent_bytes_total")
            .help("The total number of bytes sent to grpc clients.").register(registry);
    public final Counter clientGrpcReceivedBytes = Counter.builder()
            .name("etcd_network_client_grpc_received_bytes_total")
            .help("The total number of bytes received from grpc clients.").register(registry);
    public final Counter grpcStarted = Counter.builder().name("grpc_server_started_total")
            .help("Total number of RPCs started on the server.")
            .labelNames("grpc_method", "grpc_service", "grpc_type").register(registry);
    public final Counter grpcHandled = Counter.builder().name("grpc_server_handled_total")
            .help("Total number of RPCs completed on the server, regardless of success or failure.")
            .labelNames("grpc_code", "grpc_method", "grpc_service", "grpc_type").register(registry);
    public final Counter grpcMsgReceived = Counter.builder().name("grpc_server_msg_received_total")
            .help("Total number of RPC stream messages received on the server.")
            .labelNames("grpc_method", "grpc_service", "grpc_type").register(registry);
    public final Counter grpcMsgSent = Counter.builder().name("grpc_server_msg_sent_total")
            .help("Total number of gRPC stream messages sent by the server.")
            .labelNames("grpc_method", "grpc_service", "grpc_type").register(registry);
    public final Histogram peerRoundTripSeconds = Histogram.builder()
            .name("etcd_network_peer_round_trip_time_seconds")
            .help("Round-Trip-Time histogram between peers")
            .classicOnly().classicExponentialUpperBounds(0.0001, 2, 16).labelNames("To").register(registry);
    /** The v2 HTTP API's request counters (etcd's v2http metrics, still in its alert rules). */
    public final Counter httpReceived = Counter.builder().name("etcd_http_received_total")
            .help("Counter of requests received into the system (successfully parsed and authd).")
            .labelNames("method").register(registry);
    public final Counter httpFailed = Counter.builder().name("etcd_http_failed_total")
            .help("Counter of handle failures of requests (non-watches), by method (GET/PUT etc.) and code (400, 500 etc.).")
            .labelNames("method", "code").register(registry);
    public final Histogram httpSuccessfulSeconds = Histogram.builder().name("etcd_http_successful_duration_seconds")
            .help("Bucketed histogram of processing time (s) of successfully handled requests (non-watches), by method (GET/PUT etc.).")
            .classicOnly().classicExponentialUpperBounds(0.0005, 2, 13).labelNames("method").register(registry);
    /**
     * Only with --metrics=extensive (as etcd, whose basic level leaves out go-grpc-prometheus'
     * handling-time histograms); null otherwise.
     */
    public final Histogram grpcHandlingSeconds;

    /** --metrics=basic. */
    public MemberMetrics() {
        this(false);
    }

    /** @param extensive --metrics=extensive: also the gRPC handling-time histograms */
    public MemberMetrics(boolean extensive) {
        grpcHandlingSeconds = !extensive ? null : Histogram.builder().name("grpc_server_handling_seconds")
                .help("Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.")
                .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .labelNames("grpc_method", "grpc_service", "grpc_type").register(registry);
        synchronized (PROCESS_METRICS_LOCK) {
            if (!processMetricsRegistered) {
                processMetricsRegistered = true;
                JvmMetrics.builder().register(PrometheusRegistry.defaultRegistry);
            }
        }
    }

    /**
     * The watcher gauges etcd exports, read from the store at each scrape: all watchers, and the
     * slow (unsynced) ones. A gRPC proxy in front of the member shows its coalescing here.
     */
    public void watchers(IntSupplier all, IntSupplier slow) {
        GaugeWithCallback.builder().name("etcd_debugging_mvcc_watcher_total")
                .help("Total number of watchers.").callback(cb -> cb.call(all.getAsInt())).register(registry);
        GaugeWithCallback.builder().name("etcd_debugging_mvcc_slow_watcher_total")
                .help("Total number of unsynced slow watchers.").callback(cb -> cb.call(slow.getAsInt()))
                .register(registry);
    }

    /** This member's own metrics. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The process and JVM metrics (one set per process). */
    public static PrometheusRegistry processRegistry() {
        return PrometheusRegistry.defaultRegistry;
    }

    public static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
