package io.etcdj.server.v2.http;

import io.etcdj.server.v2.auth.V2AuthError;
import io.etcdj.server.v2.auth.V2AuthJson;
import io.etcdj.server.v2.auth.V2AuthStore;
import io.etcdj.server.v2.auth.V2Permissions;
import io.etcdj.server.v2.auth.V2Role;
import io.etcdj.server.v2.auth.V2User;
import io.etcdj.server.v2.store.V2Error;
import io.etcdj.server.v2.store.V2StorePaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The v2 auth API: /v2/auth/enable (GET status, PUT enable, DELETE disable), /v2/auth/users[/NAME]
 * and /v2/auth/roles[/NAME] (GET, PUT create or change, DELETE). Answers are etcd's: JSON objects
 * ending in a newline, errors as {@code {"message":"..."}}; everything but GET /v2/auth/enable
 * needs the root role once auth is enabled (401 "Insufficient credentials").
 */
final class AuthHandler {
    static final String PREFIX = "/v2/auth";

    private final V2Cluster cluster;
    private final V2AccessCheck access;
    private final V2AuthStore store;

    AuthHandler(V2Cluster cluster, V2AccessCheck access) {
        this.cluster = cluster;
        this.access = access;
        this.store = access.store();
    }

    /** The paths etcd's mux routes here: /v2/auth/enable, /v2/auth/users[/...], /v2/auth/roles[/...]. */
    static boolean serves(String path) {
        return path.equals(PREFIX + "/enable")
                || path.equals(PREFIX + "/users") || path.startsWith(PREFIX + "/users/")
                || path.equals(PREFIX + "/roles") || path.startsWith(PREFIX + "/roles/");
    }

    void handle(V2HttpExchange ex) {
        String sub = ex.path().substring(PREFIX.length());
        try {
            if (sub.equals("/enable")) {
                enableDisable(ex);
                return;
            }
            String[] pieces = V2StorePaths.clean(sub).split("/", -1);
            if (pieces.length == 2) {
                if (pieces[1].equals("users")) {
                    allUsers(ex);
                } else {
                    allRoles(ex);
                }
            } else if (pieces.length != 3) {
                error(ex, 400, "Invalid path", false);
            } else if (pieces[1].equals("users")) {
                forUser(ex, pieces[2]);
            } else {
                forRole(ex, pieces[2]);
            }
        } catch (V2AuthError e) {
            error(ex, e.status(), e.getMessage(), true);
        } catch (V2Error e) {
            if (e.code() == V2Error.RAFT_INTERNAL || e.code() == V2Error.LEADER_ELECT) {
                error(ex, 500, "Internal Server Error", true);
            } else {
                KeysHandler.writeError(ex, e, clusterId());
            }
        }
    }

    private void enableDisable(V2HttpExchange ex) {
        if (!allow(ex, "GET", "PUT", "DELETE")) {
            return;
        }
        if (!access.hasWriteRootAccess(ex)) {
            noAuth(ex);
            return;
        }
        switch (ex.method()) {
            case "GET" -> ok(ex, 200, "{\"enabled\":" + store.authEnabled() + "}\n");
            case "PUT" -> {
                store.enable();
                ok(ex, 200, "");
            }
            default -> {
                store.disable();
                ok(ex, 200, "");
            }
        }
    }

    private void allUsers(V2HttpExchange ex) {
        if (!allow(ex, "GET") || !rootOr401(ex)) {
            return;
        }
        List<String> names = store.allUsers();
        requireParsableQuery(ex);
        GoJson j = new GoJson().beginObject().name("users");
        if (names.isEmpty()) {
            j.nullValue();
        } else {
            j.beginArray();
            for (String name : names) {
                V2User u = store.user(name);
                V2AuthJson.userWithRoles(j, u.name(), rolesOf(u, true));
            }
            j.endArray();
        }
        ok(ex, 200, j.endObject() + "\n");
    }

    private void allRoles(V2HttpExchange ex) {
        if (!allow(ex, "GET") || !rootOr401(ex)) {
            return;
        }
        List<String> names = store.allRoles();
        requireParsableQuery(ex);
        GoJson j = new GoJson().beginObject().name("roles").beginArray();
        for (String name : names) {
            V2AuthJson.role(j, store.role(name));
        }
        ok(ex, 200, j.endArray().endObject() + "\n");
    }

    private void forUser(V2HttpExchange ex, String name) {
        if (!allow(ex, "GET", "PUT", "DELETE") || !rootOr401(ex)) {
            return;
        }
        switch (ex.method()) {
            case "GET" -> {
                V2User u = store.user(name);
                requireParsableQuery(ex);
                GoJson j = new GoJson();
                V2AuthJson.userWithRoles(j, u.name(), rolesOf(u, false));
                ok(ex, 200, j + "\n");
            }
            case "PUT" -> putUser(ex, name);
            default -> {
                store.deleteUser(name);
                ok(ex, 200, "");
            }
        }
    }

    private void putUser(V2HttpExchange ex, String name) {
        V2User in;
        try {
            in = V2AuthJson.readUser(body(ex));
        } catch (V2AuthJson.Malformed e) {
            throw V2AuthError.badRequest("Invalid JSON in request body.");
        }
        if (!in.name().equals(name)) {
            throw V2AuthError.badRequest("User JSON name does not match the name in the URL");
        }
        boolean changesRoles = !isEmpty(in.grant()) || !isEmpty(in.revoke());
        V2User out;
        boolean created = false;
        if (!changesRoles) {
            if (!isEmpty(in.roles())) {
                out = store.createUser(in);
            } else {
                V2AuthStore.Created<V2User> c = store.createOrUpdateUser(in);
                out = c.value();
                created = c.created();
            }
        } else {
            if (!isEmpty(in.roles())) {
                throw V2AuthError.badRequest("User JSON contains both roles and grant/revoke");
            }
            out = store.updateUser(in);
        }
        ok(ex, created ? 201 : 200, V2AuthJson.user(out.withoutPassword()) + "\n");
    }

    private void forRole(V2HttpExchange ex, String name) {
        if (!allow(ex, "GET", "PUT", "DELETE") || !rootOr401(ex)) {
            return;
        }
        switch (ex.method()) {
            case "GET" -> ok(ex, 200, V2AuthJson.role(store.role(name)) + "\n");
            case "PUT" -> putRole(ex, name);
            default -> {
                store.deleteRole(name);
                ok(ex, 200, "");
            }
        }
    }

    private void putRole(V2HttpExchange ex, String name) {
        V2Role in;
        try {
            in = V2AuthJson.readRole(body(ex));
        } catch (V2AuthJson.Malformed e) {
            throw V2AuthError.badRequest("Invalid JSON in request body.");
        }
        if (!in.name().equals(name)) {
            throw V2AuthError.badRequest("Role JSON name does not match the name in the URL");
        }
        if (V2Permissions.isEmpty(in.grant()) && V2Permissions.isEmpty(in.revoke())) {
            store.createRole(in);
            ok(ex, 201, V2AuthJson.role(in) + "\n");
            return;
        }
        if (!V2Permissions.isEmpty(in.permissions())) {
            throw V2AuthError.badRequest("Role JSON contains both permissions and grant/revoke");
        }
        ok(ex, 200, V2AuthJson.role(store.updateRole(in)) + "\n");
    }

    /**
     * etcd parses the form of these GETs (and uses nothing of it): a malformed query is an error
     * that is no auth error, which it answers 500 "Internal Server Error".
     */
    private static void requireParsableQuery(V2HttpExchange ex) {
        try {
            GoForm.parse(ex);
        } catch (GoForm.FormException e) {
            throw new V2Error(V2Error.RAFT_INTERNAL, e.getMessage(), 0);
        }
    }

    /** The user's roles spelled out; a missing role is skipped in lists and a 404 for one user. */
    private List<V2Role> rolesOf(V2User u, boolean skipMissing) {
        List<V2Role> roles = new ArrayList<>();
        for (String r : u.roles() == null ? List.<String>of() : u.roles()) {
            try {
                roles.add(store.role(r));
            } catch (V2AuthError e) {
                if (!skipMissing) {
                    throw e;
                }
            }
        }
        return roles;
    }

    private static boolean isEmpty(List<String> l) {
        return l == null || l.isEmpty();
    }

    private static String body(V2HttpExchange ex) {
        return new String(ex.body(), StandardCharsets.UTF_8);
    }

    private boolean rootOr401(V2HttpExchange ex) {
        if (access.hasRootAccess(ex)) {
            return true;
        }
        noAuth(ex);
        return false;
    }

    /** etcd's answer to missing or insufficient credentials (sent before the cluster id header is set). */
    static void noAuth(V2HttpExchange ex) {
        ex.respond(V2HttpResponse.json(401, "{\"message\":\"Insufficient credentials\"}"));
    }

    private void ok(V2HttpExchange ex, int status, String body) {
        ex.respond(V2HttpResponse.json(status, body).header("X-Etcd-Cluster-Id", clusterId()));
    }

    private void error(V2HttpExchange ex, int status, String message, boolean withClusterId) {
        V2HttpResponse r = V2HttpResponse.json(status, "{\"message\":" + GoJson.quote(message) + "}");
        if (withClusterId) {
            r.header("X-Etcd-Cluster-Id", clusterId());
        }
        ex.respond(r);
    }

    private String clusterId() {
        return Long.toHexString(cluster.clusterId());
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
