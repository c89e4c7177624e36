package io.etcdj.server.metrics;

import io.etcdj.server.v2.http.ForwardingExchange;
import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpHandler;
import io.etcdj.server.v2.http.V2HttpResponse;

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
}
