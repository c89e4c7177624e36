package io.etcdj.server.v2.http;

import io.etcdj.server.v2.auth.V2AuthStore;
import io.etcdj.server.v2.store.V2Error;
import java.time.Instant;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The v2 endpoints of the client port: /v2/keys, /v2/members, /v2/auth/..., /v2/machines, /v2/stats/{self,leader,store},
 * /version and /health. Anything else under these answers Go's "404 page not found".
 * Thread-safe; {@link #handle} may block (watches), so call it off I/O threads.
 */
public final class V2Router implements V2HttpHandler {
    private final V2Cluster cluster;
    private final KeysHandler keys;
    private final MembersHandler members;
    private final AuthHandler auth;

    /** {@code clockNanos}: unix-epoch nanoseconds, used only to turn a request's TTL into an expiration. */
    public V2Router(V2Cluster cluster, LongSupplier clockNanos) {
        this(cluster, clockNanos, false);
    }

    /**
     * {@code usersFromCertificates} (--client-cert-auth): once v2 auth is enabled, a request without
     * an Authorization header acts as the user its client certificate's CN names.
     */
    public V2Router(V2Cluster cluster, LongSupplier clockNanos, boolean usersFromCertificates) {
        this.cluster = cluster;
        V2AccessCheck access = new V2AccessCheck(new V2AuthStore(cluster, clockNanos),
                usersFromCertificates);
        this.keys = new KeysHandler(cluster, clockNanos, access);
        this.members = new MembersHandler(cluster, access);
        this.auth = new AuthHandler(cluster, access);
    }

    /** A router over the system clock. */
    public V2Router(V2Cluster cluster) {
        this(cluster, () -> {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        });
    }

    /** True for the paths this router answers (for a server that mounts other handlers beside it). */
    public static boolean serves(String path) {
        return path.equals("/v2/keys") || path.startsWith("/v2/keys/")
                || path.equals(MembersHandler.PREFIX) || path.startsWith(MembersHandler.PREFIX + "/")
                || AuthHandler.serves(path)
                || path.equals("/v2/machines") || path.startsWith("/v2/stats/")
                || path.equals("/version") || path.equals("/health");
    }

    @Override
    public void handle(V2HttpExchange ex) {
        String p = ex.path();
        try {
            if (p.equals("/v2/keys") || p.startsWith("/v2/keys/")) {
                keys.handle(ex);
            } else if (p.equals(MembersHandler.PREFIX) || p.startsWith(MembersHandler.PREFIX + "/")) {
                members.handle(ex);
            } else if (AuthHandler.serves(p)) {
                auth.handle(ex);
            } else if (p.equals("/v2/machines")) {
                machines(ex);
            } else if (p.equals("/v2/stats/self")) {
                stats(ex, () -> cluster.selfStatsJson());
            } else if (p.equals("/v2/stats/store")) {
                stats(ex, () -> V2Json.flatObject(cluster.storeStats()));
            } else if (p.equals("/v2/stats/leader")) {
                leaderStats(ex);
            } else if (p.equals("/version")) {
                version(ex);
            } else if (p.equals("/health")) {
                health(ex);
            } else {
                ex.respond(V2HttpResponse.plainError(404, "404 page not found"));
            }
        } catch (V2Error e) {
            KeysHandler.writeError(ex, e, Long.toHexString(cluster.clusterId()));
        }
    }

    private void machines(V2HttpExchange ex) {
        if (!allow(ex, "GET", "HEAD")) {
            return;
        }
        ex.respond(new V2HttpResponse(200).body(String.join(", ", cluster.clientUrls())).sniffedText());
    }

    private void stats(V2HttpExchange ex, Supplier<String> json) {
        if (allow(ex, "GET")) {
            ex.respond(V2HttpResponse.json(200, json.get()));
        }
    }

    private void leaderStats(V2HttpExchange ex) {
        if (!allow(ex, "GET")) {
            return;
        }
        cluster.leaderStatsJson().ifPresentOrElse(
                s -> ex.respond(V2HttpResponse.json(200, s)),
                () -> MembersHandler.error(ex, 403, "not current leader", null));
    }

    private void version(V2HttpExchange ex) {
        if (!allow(ex, "GET", "HEAD")) {
            return;
        }
        String body = new GoJson().beginObject().field("etcdserver", cluster.serverVersion())
                .field("etcdcluster", cluster.clusterVersion()).endObject().toString();
        ex.respond(V2HttpResponse.json(200, body));
    }

    private void health(V2HttpExchange ex) {
        if (!ex.method().equals("GET")) {
            ex.respond(V2HttpResponse.plainError(405, "Method Not Allowed").header("Allow", "GET"));
            return;
        }
        if (cluster.healthy()) {
            ex.respond(new V2HttpResponse(200).body("{\"health\":\"true\"}").sniffedText());
        } else {
            ex.respond(V2HttpResponse.plainError(503, "{\"health\":\"false\"}"));
        }
    }

    private static boolean allow(V2HttpExchange ex, String... methods) {
        for (String m : methods) {
            if (m.equals(ex.method())) {
                return true;
            }
        }
        ex.respond(V2HttpResponse.plainError(405, "Method Not Allowed").header("Allow", String.join(",", methods)));
        return false;
    }
}
