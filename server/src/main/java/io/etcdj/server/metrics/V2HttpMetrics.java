package io.etcdj.server.metrics;

import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpHandler;
import io.etcdj.server.v2.http.V2HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * Counts the v2 HTTP API's requests as etcd's v2http does: every request by method; an answer
 * with status 400 or above as failed, by method and status; the time of every other complete
 * answer. A streamed answer (a watch) counts as received only.
 */
public final class V2HttpMetrics implements V2HttpHandler {
    private final MemberMetrics metrics;
    private final V2HttpHandler api;

    public V2HttpMetrics(MemberMetrics metrics, V2HttpHandler api) {
        this.metrics = metrics;
        this.api = api;
    }

    @Override
    public void handle(V2HttpExchange exchange) {
        String method = exchange.method();
        metrics.httpReceived.labelValues(method).inc();
        long start = System.nanoTime();
        api.handle(new ForwardingExchange(exchange) {
            @Override
            public void respond(V2HttpResponse response) {
                if (response.status() >= 400) {
                    metrics.httpFailed.labelValues(method, Integer.toString(response.status())).inc();
                } else {
                    metrics.httpSuccessfulSeconds.labelValues(method)
                            .observe(MemberMetrics.seconds(System.nanoTime() - start));
                }
                super.respond(response);
            }
        });
    }

    /** Passes every call through to the wrapped exchange. */
    private static class ForwardingExchange implements V2HttpExchange {
        private final V2HttpExchange inner;

        ForwardingExchange(V2HttpExchange inner) {
            this.inner = inner;
        }

        @Override public String method() { return inner.method(); }
        @Override public String path() { return inner.path(); }
        @Override public String rawQuery() { return inner.rawQuery(); }
        @Override public String header(String name) { return inner.header(name); }
        @Override public String rawPath() { return inner.rawPath(); }
        @Override public List<Map.Entry<String, String>> headers() { return inner.headers(); }
        @Override public String remoteIp() { return inner.remoteIp(); }
        @Override public List<String> clientCertificateNames() { return inner.clientCertificateNames(); }
        @Override public byte[] body() { return inner.body(); }
        @Override public void respond(V2HttpResponse response) { inner.respond(response); }
        @Override public ResponseStream startStream(V2HttpResponse response) { return inner.startStream(response); }
        @Override public boolean isOpen() { return inner.isOpen(); }
    }
}
