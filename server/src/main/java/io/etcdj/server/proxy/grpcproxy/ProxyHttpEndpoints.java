package io.etcdj.server.proxy.grpcproxy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpHandler;
import io.etcdj.server.v2.http.V2HttpResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The plain HTTP side of the proxy's port: {@code /health} (the cluster's health as the proxy sees
 * it: a range through the proxy's upstream channel answers within a second), {@code /proxy/health}
 * (the same, in etcd 3.5's form with a reason), and {@code /metrics}: the proxy's own metrics
 * followed by those of the first member that answers, as etcd's proxy shows them.
 */
final class ProxyHttpEndpoints implements V2HttpHandler {
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);

    private final KVGrpc.KVBlockingStub kv;
    private final PrometheusRegistry registry;
    private final List<String> memberMetricsUrls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CHECK_TIMEOUT).build();

    ProxyHttpEndpoints(KVGrpc.KVBlockingStub kv, PrometheusRegistry registry, List<String> memberMetricsUrls) {
        this.kv = kv;
        this.registry = registry;
        this.memberMetricsUrls = List.copyOf(memberMetricsUrls);
    }

    @Override
    public void handle(V2HttpExchange ex) {
        switch (ex.path()) {
            case "/health" -> {
                String reason = unhealthyReason();
                ex.respond(V2HttpResponse.json(reason == null ? 200 : 503, "{\"health\":\"" + (reason == null) + "\"}"));
            }
            case "/proxy/health" -> {
                String reason = unhealthyReason();
                ex.respond(V2HttpResponse.json(reason == null ? 200 : 503, "{\"health\":\"" + (reason == null)
                        + "\",\"reason\":\"" + (reason == null ? "" : reason.replace("\"", "'")) + "\"}"));
            }
            case "/metrics" -> ex.respond(new V2HttpResponse(200)
                    .header("Content-Type", "text/plain; version=0.0.4; charset=utf-8").body(metrics()));
            default -> ex.respond(V2HttpResponse.plainError(404, "404 page not found"));
        }
    }

    /** Null when a read through the proxy's upstream channel succeeds in time. */
    private String unhealthyReason() {
        try {
            kv.withDeadlineAfter(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("health")).build());
            return null;
        } catch (StatusRuntimeException e) {
            Status.Code c = e.getStatus().getCode();
            // an auth refusal still proves a member with a leader answered
            return c == Status.Code.PERMISSION_DENIED || c == Status.Code.INVALID_ARGUMENT ? null
                    : "QGET ERROR:" + e.getStatus().getDescription();
        }
    }

    private String metrics() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        String own = out.toString(StandardCharsets.UTF_8);
        for (String url : memberMetricsUrls) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(CHECK_TIMEOUT).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return r.body() + own;
                }
            } catch (IOException e) {
                // try the next member
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return own;
    }
}
