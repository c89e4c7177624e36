package io.etcdj.etcdctl.v2;

import io.etcdj.etcdctl.print.GoJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The v2 auth API (/v2/auth/enable, /v2/auth/users, /v2/auth/roles) as etcd's v2 client calls it.
 * A reply outside 2xx carries {"message": ...} (etcd's text, usually starting "auth: "), reported as
 * is ({@link AuthError}).
 */
final class AuthApi {
    /** An error the auth API answered with. */
    static final class AuthError extends Exception {
        AuthError(String message) {
            super(message);
        }
    }

    /** A role: its name and the key paths it may read and write. */
    record Role(String name, List<String> read, List<String> write) {}

    private final V2Transport transport;
    private final Duration timeout;

    AuthApi(V2Transport transport, Duration timeout) {
        this.transport = transport;
        this.timeout = timeout;
    }

    private Object call(String method, String path, String json) throws ClusterError, AuthError {
        return call(method, path, json, true);
    }

    /** {@code decodeError} false: a failure is only its status, as the v2 client's role listing reports it. */
    private Object call(String method, String path, String json, boolean decodeError) throws ClusterError, AuthError {
        V2Transport.Reply r = json == null ? transport.send(method, path, null, timeout)
                : transport.sendJson(method, path, json, timeout);
        if (r.status() / 100 != 2 && !decodeError) {
            throw new AuthError("unexpected status code " + r.status());
        }
        if (r.status() / 100 != 2) {
            Object body;
            try {
                body = Json.parse(r.body());
            } catch (IllegalArgumentException e) {
                throw new AuthError(r.body().strip());
            }
            throw new AuthError(body instanceof Map<?, ?> m ? String.valueOf(m.get("message")) : r.body().strip());
        }
        return r.body().isBlank() ? null : Json.parse(r.body());
    }

    void enable(boolean on) throws ClusterError, AuthError {
        call(on ? "PUT" : "DELETE", "/v2/auth/enable", null);
    }

    List<String> users() throws ClusterError, AuthError {
        return names(call("GET", "/v2/auth/users", null), "users", "user");
    }

    List<String> roles() throws ClusterError, AuthError {
        return names(call("GET", "/v2/auth/roles", null, false), "roles", "role");
    }

    /** The user's name and role names. */
    List<String> userRoles(String user) throws ClusterError, AuthError {
        Object o = call("GET", "/v2/auth/users/" + user, null);
        return names(o, "roles", "role");
    }

    void putUser(String user, String field, String jsonValue) throws ClusterError, AuthError {
        call("PUT", "/v2/auth/users/" + user, "{\"user\":" + quote(user) + "," + quote(field) + ":" + jsonValue + "}");
    }

    void removeUser(String user) throws ClusterError, AuthError {
        call("DELETE", "/v2/auth/users/" + user, null);
    }

    Role role(String name) throws ClusterError, AuthError {
        return role(call("GET", "/v2/auth/roles/" + name, null));
    }

    void addRole(String name) throws ClusterError, AuthError {
        call("PUT", "/v2/auth/roles/" + name, "{\"role\":" + quote(name) + "}");
    }

    void removeRole(String name) throws ClusterError, AuthError {
        call("DELETE", "/v2/auth/roles/" + name, null);
    }

    /** Grants or revokes one path; returns the role as the server now has it. */
    Role changeRole(String name, boolean grant, String path, boolean read, boolean write) throws ClusterError, AuthError {
        String kv = "{\"kv\":{\"read\":" + (read ? "[" + quote(path) + "]" : "null") + ",\"write\":"
                + (write ? "[" + quote(path) + "]" : "null") + "}}";
        return role(call("PUT", "/v2/auth/roles/" + name, "{\"role\":" + quote(name) + ",\"" + (grant ? "grant" : "revoke")
                + "\":" + kv + "}"));
    }

    @SuppressWarnings("unchecked")
    private static Role role(Object o) {
        Map<String, Object> m = o instanceof Map<?, ?> ? (Map<String, Object>) o : Map.of();
        Object perms = m.get("permissions");
        Object kv = perms instanceof Map<?, ?> p ? p.get("kv") : null;
        List<String> read = List.of();
        List<String> write = List.of();
        if (kv instanceof Map<?, ?> k) {
            read = strings(k.get("read"));
            write = strings(k.get("write"));
        }
        return new Role(String.valueOf(m.get("role")), read, write);
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return out;
    }

    /** Names from {"FIELD": ["a", ...]} or {"FIELD": [{"KEY": "a", ...}, ...]}. */
    private static List<String> names(Object o, String field, String key) {
        List<String> out = new ArrayList<>();
        if (o instanceof Map<?, ?> m && m.get(field) instanceof List<?> l) {
            for (Object x : l) {
                out.add(x instanceof Map<?, ?> e ? String.valueOf(e.get(key)) : String.valueOf(x));
            }
        }
        return out;
    }

    static String quote(String s) {
        return GoJson.string(s);
    }
}
