package io.etcdj.server.v2.auth;

import io.etcdj.server.v2.http.GoJson;
import io.etcdj.server.v2.http.MiniJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Users and roles in etcd's JSON, both as stored under /2 and as the API reads and answers them.
 * Writing follows Go's encoding/json on etcd's structs (field order, null lists, omitempty);
 * reading follows Go's decoding into them: unknown fields ignored, names matched without regard to
 * case, null leaving a field unset, and any type mismatch failing the whole document.
 */
public final class V2AuthJson {
    /** The body is not JSON of the expected shape. */
    public static final class Malformed extends Exception {
        Malformed() { super("malformed", null, false, false); }
    }

    private V2AuthJson() {
    }

    // ---------------------------------------------------------------- writing

    /** The user as stored, hash included ({"user","password"(omitempty),"roles","grant","revoke"(omitempty)}). */
    public static String user(V2User u) {
        GoJson j = new GoJson().beginObject().field("user", u.name());
        if (!u.password().isEmpty()) {
            j.field("password", u.password());
        }
        list(j.name("roles"), u.roles());
        if (!V2User.orEmpty(u.grant()).isEmpty()) {
            list(j.name("grant"), u.grant());
        }
        if (!V2User.orEmpty(u.revoke()).isEmpty()) {
            list(j.name("revoke"), u.revoke());
        }
        return j.endObject().toString();
    }

    /** A user with its roles spelled out, as GET answers it (roles omitted when there are none). */
    public static void userWithRoles(GoJson j, String name, List<V2Role> roles) {
        j.beginObject().field("user", name);
        if (!roles.isEmpty()) {
            j.name("roles").beginArray();
            roles.forEach(r -> role(j, r));
            j.endArray();
        }
        j.endObject();
    }

    public static String role(V2Role r) {
        GoJson j = new GoJson();
        role(j, r);
        return j.toString();
    }

    public static void role(GoJson j, V2Role r) {
        j.beginObject().field("role", r.name());
        permissions(j.name("permissions"), r.permissions());
        if (r.grant() != null) {
            permissions(j.name("grant"), r.grant());
        }
        if (r.revoke() != null) {
            permissions(j.name("revoke"), r.revoke());
        }
        j.endObject();
    }

    private static void permissions(GoJson j, V2Permissions p) {
        j.beginObject().name("kv").beginObject();
        list(j.name("read"), p.read());
        list(j.name("write"), p.write());
        j.endObject().endObject();
    }

    private static void list(GoJson j, List<String> values) {
        if (values == null) {
            j.nullValue();
            return;
        }
        j.beginArray();
        values.forEach(j::value);
        j.endArray();
    }

    // ---------------------------------------------------------------- reading

    /** Reads a user (a request body's first JSON value, or a stored record). */
    public static V2User readUser(String text) throws Malformed {
        Map<String, Object> m = object(first(text));
        if (m == null) {
            return new V2User("", "", null, null, null);
        }
        return new V2User(string(field(m, "user")), string(field(m, "password")), strings(field(m, "roles")),
                strings(field(m, "grant")), strings(field(m, "revoke")));
    }

    /** Reads a role (a request body's first JSON value, or a stored record). */
    public static V2Role readRole(String text) throws Malformed {
        Map<String, Object> m = object(first(text));
        if (m == null) {
            return new V2Role("", null, null, null);
        }
        V2Permissions perms = permissions(field(m, "permissions"));
        return new V2Role(string(field(m, "role")), perms == null ? V2Permissions.NONE : perms,
                permissions(field(m, "grant")), permissions(field(m, "revoke")));
    }

    private static Object first(String text) throws Malformed {
        try {
            return new MiniJson(text).parseFirstValue();
        } catch (MiniJson.SyntaxError e) {
            throw new Malformed();
        }
    }

    /** Go decodes into a struct only from an object (or null, which leaves it zero). */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v) throws Malformed {
        if (v == null || v instanceof Map) {
            return (Map<String, Object>) v;
        }
        throw new Malformed();
    }

    /** The value of the last key equal to {@code name} ignoring case, or null. */
    private static Object field(Map<String, Object> m, String name) {
        Object v = null;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                v = e.getValue();
            }
        }
        return v;
    }

    private static String string(Object v) throws Malformed {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        throw new Malformed();
    }

    private static List<String> strings(Object v) throws Malformed {
        if (v == null) {
            return null;
        }
        if (!(v instanceof List<?> l)) {
            throw new Malformed();
        }
        List<String> out = new ArrayList<>();
        for (Object o : l) {
            out.add(string(o));
        }
        return out;
    }

    private static V2Permissions permissions(Object v) throws Malformed {
        Map<String, Object> m = object(v);
        if (m == null) {
            return null;
        }
        Map<String, Object> kv = object(field(m, "kv"));
        if (kv == null) {
            return V2Permissions.NONE;
        }
        return new V2Permissions(strings(field(kv, "read")), strings(field(kv, "write")));
    }
}
