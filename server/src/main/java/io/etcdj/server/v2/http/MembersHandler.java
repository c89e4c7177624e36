package io.etcdj.server.v2.http;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** /v2/members[/leader|/id]: list (GET), add (POST), remove (DELETE), change peer URLs (PUT). */
final class MembersHandler {
    static final String PREFIX = "/v2/members";
    private final V2Cluster cluster;
    private final V2AccessCheck access;

    MembersHandler(V2Cluster cluster, V2AccessCheck access) {
        this.cluster = cluster;
        this.access = access;
    }

    void handle(V2HttpExchange ex) {
        String m = ex.method();
        if (!(m.equals("GET") || m.equals("POST") || m.equals("DELETE") || m.equals("PUT"))) {
            ex.respond(V2HttpResponse.plainError(405, "Method Not Allowed").header("Allow", "GET,POST,DELETE,PUT"));
            return;
        }
        if (!access.hasWriteRootAccess(ex)) {
            AuthHandler.noAuth(ex);
            return;
        }
        String clusterId = Long.toHexString(cluster.clusterId());
        String rest = trim(ex.path());
        switch (m) {
            case "GET" -> get(ex, rest, clusterId);
            case "POST" -> post(ex, clusterId);
            case "DELETE" -> delete(ex, rest, clusterId);
            default -> put(ex, rest, clusterId);
        }
    }

    private void get(V2HttpExchange ex, String rest, String clusterId) {
        if (rest.isEmpty()) {
            GoJson j = new GoJson().beginObject().name("members").beginArray();
            cluster.members().forEach(mem -> V2Json.member(j, mem));
            j.endArray().endObject();
            ex.respond(V2HttpResponse.json(200, j + "\n").header("X-Etcd-Cluster-Id", clusterId));
        } else if (rest.equals("leader")) {
            Optional<V2Member> leader = cluster.leader();
            if (leader.isEmpty()) {
                error(ex, 503, "During election", clusterId);
                return;
            }
            GoJson j = new GoJson();
            V2Json.member(j, leader.get());
            ex.respond(V2HttpResponse.json(200, j + "\n").header("X-Etcd-Cluster-Id", clusterId));
        } else {
            error(ex, 404, "Not found", clusterId);
        }
    }

    private void post(V2HttpExchange ex, String clusterId) {
        List<String> urls = body(ex, clusterId);
        if (urls == null) {
            return;
        }
        try {
            V2Member added = cluster.addMember(urls);
            GoJson j = new GoJson();
            V2Json.member(j, added);
            ex.respond(V2HttpResponse.json(201, j + "\n").header("X-Etcd-Cluster-Id", clusterId));
        } catch (V2MemberException e) {
            memberError(ex, e, clusterId);
        }
    }

    private void delete(V2HttpExchange ex, String rest, String clusterId) {
        Long id = id(ex, rest, clusterId);
        if (id == null) {
            return;
        }
        try {
            cluster.removeMember(id);
            ex.respond(new V2HttpResponse(204).header("X-Etcd-Cluster-Id", clusterId));
        } catch (V2MemberException e) {
            memberError(ex, e, clusterId);
        }
    }

    private void put(V2HttpExchange ex, String rest, String clusterId) {
        Long id = id(ex, rest, clusterId);
        if (id == null) {
            return;
        }
        List<String> urls = body(ex, clusterId);
        if (urls == null) {
            return;
        }
        try {
            cluster.updateMember(id, urls);
            ex.respond(new V2HttpResponse(204).header("X-Etcd-Cluster-Id", clusterId));
        } catch (V2MemberException e) {
            memberError(ex, e, clusterId);
        }
    }

    private static String trim(String path) {
        String s = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
        return s.startsWith("/") ? s.substring(1) : s;
    }

    private static Long id(V2HttpExchange ex, String rest, String clusterId) {
        if (rest.isEmpty()) {
            ex.respond(V2HttpResponse.plainError(405, "Method Not Allowed").header("X-Etcd-Cluster-Id", clusterId));
            return null;
        }
        try {
            if (!rest.matches("[0-9a-fA-F]{1,16}")) {
                throw new NumberFormatException(rest);
            }
            return Long.parseUnsignedLong(rest, 16);
        } catch (NumberFormatException e) {
            error(ex, 404, "No such member: " + rest, clusterId);
            return null;
        }
    }

    private static List<String> body(V2HttpExchange ex, String clusterId) {
        // etcd compares the type before any ';' (trimmed, lower-cased), or the whole value without one
        String ct = ex.header("Content-Type") == null ? "" : ex.header("Content-Type");
        if (ct.indexOf(';') >= 0) {
            ct = ct.substring(0, ct.indexOf(';')).trim().toLowerCase(Locale.ROOT);
        }
        if (!ct.equals("application/json")) {
            error(ex, 415, "Bad Content-Type " + ct + ", accept application/json", clusterId);
            return null;
        }
        try {
            return PeerUrlsRequest.parse(ex.body());
        } catch (PeerUrlsRequest.Invalid e) {
            error(ex, 400, e.getMessage(), clusterId);
            return null;
        }
    }

    private static void memberError(V2HttpExchange ex, V2MemberException e, String clusterId) {
        String msg = e.kind() == V2MemberException.Kind.INTERNAL ? "Internal Server Error" : e.getMessage();
        error(ex, e.kind().status, msg, clusterId);
    }

    static void error(V2HttpExchange ex, int status, String message, String clusterId) {
        V2HttpResponse r = V2HttpResponse.json(status, V2Json.message(message));
        if (clusterId != null) {
            r.header("X-Etcd-Cluster-Id", clusterId);
        }
        ex.respond(r);
    }
}
