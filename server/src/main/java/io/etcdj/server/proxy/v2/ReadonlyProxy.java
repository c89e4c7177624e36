package io.etcdj.server.proxy.v2;

import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpHandler;
import io.etcdj.server.v2.http.V2HttpResponse;

/**
 * {@code --proxy readonly}: only GET requests reach the proxy; every other method (HEAD and
 * OPTIONS included) gets etcd's bare {@code 501 Not Implemented} with an empty body and no CORS
 * headers, because etcd applies this check outside its CORS wrapper.
 */
final class ReadonlyProxy implements V2HttpHandler {
    private final V2HttpHandler next;

    ReadonlyProxy(V2HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handle(V2HttpExchange ex) {
        if (!ex.method().equals("GET")) {
            ex.respond(V2HttpResponse.withoutCors(501));
            return;
        }
        next.handle(ex);
    }
}
