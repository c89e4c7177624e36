package io.etcdj.server.clientport;

import io.etcdj.server.v2.http.V2HttpExchange;
import io.etcdj.server.v2.http.V2HttpHandler;
import io.etcdj.server.v2.http.V2HttpResponse;
import io.etcdj.server.v2.http.V2Router;
import java.util.Optional;

/**
 * The plain HTTP endpoints of the client port other than the JSON gateway: /health, /livez,
 * /readyz, /version, /metrics, /debug/vars, and the v2 API when --enable-v2 is set. Anything else is Go's "404 page not found",
 * as etcd answers it (CORS headers included); an unclean path is redirected to its clean form
 * ({@link UncleanPathRedirect}), for the JSON gateway's paths too.
 */
public final class ClientHttpEndpoints implements V2HttpHandler {
    private final HealthEndpoint health;
    private final ProbeEndpoints probes;
    private final String versionJson;
    private final V2HttpHandler metrics;
    private final Optional<V2HttpHandler> v2;
    private final V2HttpHandler debugVars;

    /**
     * @param versionJson the /version body
     * @param v2 the v2 API (paths {@link V2Router#serves}), present only with --enable-v2
     */
    public ClientHttpEndpoints(HealthEndpoint health, String versionJson, V2HttpHandler metrics,
                               Optional<V2HttpHandler> v2, V2HttpHandler debugVars) {
        this.debugVars = debugVars;
        this.health = health;
        this.probes = new ProbeEndpoints(health);
        this.versionJson = versionJson;
        this.metrics = metrics;
        this.v2 = v2;
    }

    @Override
    public void handle(V2HttpExchange ex) {
        String path = ex.path();
        V2HttpResponse redirect = UncleanPathRedirect.of(ex);
        if (redirect != null) {
            ex.respond(redirect);
        } else if (path.equals("/health")) {
            health.handle(ex);
        } else if (path.equals("/version")) {
            version(ex);
        } else if (ProbeEndpoints.serves(path)) {
            probes.handle(ex);
        } else if (path.equals("/metrics")) {
            metrics.handle(ex);
        } else if (path.equals("/debug/vars")) {
            debugVars.handle(ex);
        } else if (v2.isPresent() && V2Router.serves(path)) {
            v2.get().handle(ex);
        } else {
            ex.respond(V2HttpResponse.plainError(404, "404 page not found"));
        }
    }

    /**
     * Go's ServeMux for a path naming a registered subtree without its trailing slash ("/v3" for
     * the gateway's "/v3/"): 301 to the subtree, query kept.
     */
    public static V2HttpResponse subtreeRedirect(String method, String subtree, String rawQuery) {
        return UncleanPathRedirect.to(method, subtree, rawQuery);
    }

    /** Whether {@code path} is clean; an unclean one is for {@link #handle} to redirect. */
    public static boolean isClean(String path) {
        return UncleanPathRedirect.clean(path).equals(path);
    }

    private void version(V2HttpExchange ex) {
        if (allowGetOnly(ex)) {
            ex.respond(V2HttpResponse.json(200, versionJson));
        }
    }

    /** etcd's allowMethod(w, r, "GET"): anything else, HEAD included, is a 405 with "Allow: GET". */
    static boolean allowGetOnly(V2HttpExchange ex) {
        if (ex.method().equals("GET")) {
            return true;
        }
        ex.respond(V2HttpResponse.plainError(405, "Method Not Allowed").header("Allow", "GET"));
        return false;
    }
}
