package io.etcdj.server.v2.http;

import io.etcdj.server.v2.store.V2Error;
import io.etcdj.server.v2.store.V2Event;
import io.etcdj.server.v2.store.V2Request;
import io.etcdj.server.v2.store.V2Watcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * /v2/keys: GET (local, quorum, or wait/watch, optionally streamed), PUT, POST, DELETE, HEAD.
 * Answers are etcd's: the event JSON with X-Etcd-Index/X-Raft-Index/X-Raft-Term, 201 for creations,
 * v2 errors with X-Etcd-Index, and keys shown without the store's "/1" namespace.
 */
final class KeysHandler {
    /** etcd ends a watch request after 5 minutes without an event. */
    static final long WATCH_TIMEOUT_MILLIS = 5 * 60 * 1000;
    private static final long CLOSE_CHECK_MILLIS = 200;

    private final V2Cluster cluster;
    private final LongSupplier clockNanos;
    private final V2AccessCheck access;

    KeysHandler(V2Cluster cluster, LongSupplier clockNanos, V2AccessCheck access) {
        this.cluster = cluster;
        this.clockNanos = clockNanos;
        this.access = access;
    }

    void handle(V2HttpExchange ex) {
        String m = ex.method();
        if (!(m.equals("HEAD") || m.equals("GET") || m.equals("PUT") || m.equals("POST") || m.equals("DELETE"))) {
            ex.respond(V2HttpResponse.plainError(405, "Method Not Allowed").header("Allow", "HEAD,GET,PUT,POST,DELETE"));
            return;
        }
        String clusterId = Long.toHexString(cluster.clusterId());
        try {
            KeyRequestParser.Parsed parsed = KeyRequestParser.parse(ex, clockNanos.getAsLong());
            V2Request r = parsed.request();
            // etcd checks the key as the request spelled it (after /v2/keys, not cleaned)
            if (!access.hasKeyAccess(ex, ex.path().substring(KeyRequestParser.KEYS_PREFIX.length()), r.recursive())) {
                throw new V2Error(V2Error.UNAUTHORIZED, "Insufficient credentials", 0);
            }
            if (m.equals("GET") || m.equals("HEAD")) {
                if (r.waitFlag()) {
                    watch(ex, r, clusterId);
                    return;
                }
                V2Cluster.Result res = r.quorum()
                        ? cluster.propose(withMethod(r, "QGET"))
                        : cluster.get(r.path(), r.recursive(), r.sorted());
                writeEvent(ex, res, false, clusterId);
                return;
            }
            writeEvent(ex, cluster.propose(r), parsed.noValueOnSuccess(), clusterId);
        } catch (V2Error e) {
            writeError(ex, e, clusterId);
        }
    }

    private static V2Request withMethod(V2Request r, String method) {
        return new V2Request(r.id(), method, r.path(), r.val(), r.dir(), r.prevValue(), r.prevIndex(), r.prevExist(),
                r.expiration(), r.waitFlag(), r.since(), r.recursive(), r.sorted(), r.quorum(), r.time(), r.stream(),
                r.refresh());
    }

    static void writeError(V2HttpExchange ex, V2Error e, String clusterId) {
        String cause = e.errorCause();
        if (cause != null && cause.startsWith(KeyRequestParser.STORE_KEYS_PREFIX)) {
            e = e.withCause(cause.substring(KeyRequestParser.STORE_KEYS_PREFIX.length()));
        }
        ex.respond(V2HttpResponse.json(e.httpStatus(), V2Json.error(e))
                .header("X-Etcd-Cluster-Id", clusterId)
                .header("X-Etcd-Index", Long.toString(e.index())));
    }

    private static void writeEvent(V2HttpExchange ex, V2Cluster.Result res, boolean noValueOnSuccess,
                                   String clusterId) {
        V2Event ev = res.event();
        int status = ev.isCreated() ? 201 : 200;
        ev = ev.stripPrefix(KeyRequestParser.STORE_KEYS_PREFIX);
        if (noValueOnSuccess && !V2Event.GET.equals(ev.action()) && !V2Event.DELETE.equals(ev.action())
                && !V2Event.COMPARE_AND_DELETE.equals(ev.action())) {
            ev = new V2Event(ev.action(), null, null, ev.etcdIndex(), ev.refresh());
        }
        V2HttpResponse resp = V2HttpResponse.json(status, V2Json.event(ev));
        headers(resp, clusterId, ev.etcdIndex(), res.raftIndex(), res.raftTerm());
        ex.respond(resp);
    }

    private static void headers(V2HttpResponse resp, String clusterId, long etcdIndex, long raftIndex, long term) {
        resp.header("X-Etcd-Cluster-Id", clusterId)
                .header("X-Etcd-Index", Long.toString(etcdIndex))
                .header("X-Raft-Index", Long.toString(raftIndex))
                .header("X-Raft-Term", Long.toString(term));
    }

    /** Long-poll (or stream) events: headers at once, then one event (or every event) as it comes. */
    private void watch(V2HttpExchange ex, V2Request r, String clusterId) {
        V2Watcher w = cluster.watch(r.path(), r.recursive(), r.stream(), r.since());
        try {
            V2HttpResponse head = V2HttpResponse.json(200, "");
            headers(head, clusterId, w.startIndex(), cluster.raftIndex(), cluster.raftTerm());
            V2HttpExchange.ResponseStream out = ex.startStream(head);
            long deadline = System.nanoTime() + WATCH_TIMEOUT_MILLIS * 1_000_000L;
            try {
                while (ex.isOpen() && System.nanoTime() < deadline) {
                    V2Event ev = w.next(CLOSE_CHECK_MILLIS);
                    if (ev == null) {
                        if (w.isRemoved()) {
                            break; // dropped by the store (buffer overflow or restore): end the answer
                        }
                        continue;
                    }
                    ev = ev.stripPrefix(KeyRequestParser.STORE_KEYS_PREFIX);
                    out.write(V2Json.event(ev).getBytes(StandardCharsets.UTF_8));
                    if (!r.stream()) {
                        break;
                    }
                }
            } catch (IOException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            out.end();
        } finally {
            w.remove();
        }
    }
}
