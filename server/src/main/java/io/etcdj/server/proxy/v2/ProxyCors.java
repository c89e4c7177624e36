package io.etcdj.server.proxy.v2;

import io.etcdj.server.clientport.AccessPolicy;
import io.etcdj.server.v2.http.ForwardingExchange;
import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpHandler;
import io.etcdj.server.v2.http.V2HttpResponse;
import java.util.Optional;

/**
 * etcd's CORS wrapper around the v2 proxy, for a {@code --cors} list other than "*": the proxy's
 * own CORS headers (which come first, before a relayed member's) admit the request's Origin when
 * the list names it, and are left out otherwise — preflights included, which then get a bare 200.
 * The member's headers in a relayed answer are its own business and stay as it sent them.
 *
 * <p>The rule is the member's ({@link AccessPolicy#allowedOrigin}, {@link V2HttpResponse#corsHeaders}),
 * but not its {@code CorsHeaderRewriter}, on purpose: that one replaces every Access-Control-Allow-*
 * header on the wire, which here would drop the relayed member's; so only the proxy's own headers,
 * the ones {@link V2HttpResponse#admitting} knows it was made with, are rewritten.
 */
final class ProxyCors implements V2HttpHandler {
    private final AccessPolicy policy;
    private final V2HttpHandler proxy;

    ProxyCors(AccessPolicy policy, V2HttpHandler proxy) {
        this.policy = policy;
        this.proxy = proxy;
    }

    /** {@code proxy} as it answers under {@code policy}: itself when every origin is admitted. */
    static V2HttpHandler wrap(AccessPolicy policy, V2HttpHandler proxy) {
        return policy.admitsEveryOrigin() ? proxy : new ProxyCors(policy, proxy);
    }

    @Override
    public void handle(V2HttpExchange ex) {
        Optional<String> admitted = policy.allowedOrigin(ex.header("Origin"));
        proxy.handle(new ForwardingExchange(ex) {
            @Override
            public void respond(V2HttpResponse response) {
                super.respond(response.admitting(admitted));
            }

            @Override
            public ResponseStream startStream(V2HttpResponse response) {
                return super.startStream(response.admitting(admitted));
            }
        });
    }
}
