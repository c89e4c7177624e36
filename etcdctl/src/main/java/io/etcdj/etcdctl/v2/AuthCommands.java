package io.etcdj.etcdctl.v2;

import java.nio.file.Path;
import java.util.List;

/**
 * etcdctl v2's auth enable|disable, user add|get|list|remove|grant|revoke|passwd and role
 * add|get|list|remove|grant|revoke over the v2 auth API ({@link AuthApi}). Failures print the bare
 * error on stderr (no "Error:" prefix, as these commands do) and exit 1.
 */
final class AuthCommands {
    private AuthCommands() {}

    private static AuthApi api(V2Context c) {
        return new AuthApi(c.transport(true), c.totalTimeout());
    }

    private static V2Exit failed(V2Context c, String message) {
        c.err().print(message + "\n");
        return new V2Exit(1);
    }

    /** The one argument a user or role command takes. */
    private static String name(V2Context c, String what) {
        if (c.args().size() != 1) {
            throw failed(c, "Please provide a " + what);
        }
        return c.args().get(0);
    }

    private interface Call {
        void run() throws Exception;
    }

    /** Runs an API call; its error ends the command. */
    private static void attempt(V2Context c, Call call) {
        try {
            call.run();
        } catch (V2Exit e) {
            throw e;
        } catch (Exception e) {
            throw failed(c, e.getMessage());
        }
    }

    static void enable(V2Context c, boolean on) {
        if (!c.args().isEmpty()) {
            throw failed(c, "No arguments accepted");
        }
        AuthApi api = api(c);
        attempt(c, () -> api.enable(on));
        c.out().print(on ? "Authentication Enabled\n" : "Authentication Disabled\n");
    }

    static void userList(V2Context c) {
        AuthApi api = api(c);
        attempt(c, () -> api.users().forEach(u -> c.out().print(u + "\n")));
    }

    /** The password after "user:" in the argument, else asked for with {@code prompt}. */
    private static String password(V2Context c, String arg, String prompt) {
        int colon = arg.indexOf(':');
        if (colon >= 0) {
            return arg.substring(colon + 1);
        }
        c.out().print(prompt);
        c.out().flush();
        String pw = c.console.readLine();
        c.out().print("\n");
        return pw;
    }

    static void userAdd(V2Context c) {
        String arg = name(c, "username");
        AuthApi api = api(c);
        int colon = arg.indexOf(':');
        String user = colon >= 0 ? arg.substring(0, colon) : arg;
        String pw = password(c, arg, "New password: ");
        attempt(c, () -> api.putUser(user, "password", AuthApi.quote(pw)));
        c.out().print("User " + user + " created\n");
    }

    static void userGet(V2Context c) {
        String user = name(c, "username");
        AuthApi api = api(c);
        attempt(c, () -> {
            List<String> roles = api.userRoles(user);
            c.out().print("User: " + user + "\nRoles: " + String.join(" ", roles) + "\n");
        });
    }

    static void userRemove(V2Context c) {
        String user = name(c, "username");
        AuthApi api = api(c);
        attempt(c, () -> api.removeUser(user));
        c.out().print("User " + user + " removed\n");
    }

    static void userPasswd(V2Context c) {
        String user = name(c, "username");
        AuthApi api = api(c);
        String pw = password(c, "", "New password: ");
        attempt(c, () -> api.putUser(user, "password", AuthApi.quote(pw)));
        c.out().print("Password updated\n");
    }

    static void userGrantRevoke(V2Context c, boolean grant) {
        List<String> roles = c.local.strings("roles");
        if (roles.isEmpty()) {
            throw failed(c, "No roles specified; please use `--roles`");
        }
        String user = name(c, "username");
        AuthApi api = api(c);
        StringBuilder json = new StringBuilder("[");
        for (String r : roles) {
            json.append(json.length() > 1 ? "," : "").append(AuthApi.quote(r));
        }
        attempt(c, () -> api.putUser(user, grant ? "grant" : "revoke", json.append(']').toString()));
        c.out().print("User " + user + " updated\n");
    }

    static void roleList(V2Context c) {
        if (!c.args().isEmpty()) {
            throw failed(c, "No arguments accepted");
        }
        AuthApi api = api(c);
        attempt(c, () -> api.roles().forEach(r -> c.out().print(r + "\n")));
    }

    static void roleAdd(V2Context c) {
        String role = name(c, "role name");
        AuthApi api = api(c);
        boolean exists;
        try {
            api.role(role);
            exists = true;
        } catch (Exception e) {
            exists = false;
        }
        if (exists) {
            throw failed(c, "Role " + role + " already exists");
        }
        attempt(c, () -> api.addRole(role));
        c.out().print("Role " + role + " created\n");
    }

    static void roleGet(V2Context c) {
        String name = name(c, "role name");
        AuthApi api = api(c);
        attempt(c, () -> {
            AuthApi.Role r = api.role(name);
            StringBuilder b = new StringBuilder("Role: " + r.name() + "\nKV Read:\n");
            r.read().forEach(p -> b.append('\t').append(p).append('\n'));
            b.append("KV Write:\n");
            r.write().forEach(p -> b.append('\t').append(p).append('\n'));
            c.out().print(b);
        });
    }

    static void roleRemove(V2Context c) {
        String role = name(c, "role name");
        AuthApi api = api(c);
        attempt(c, () -> api.removeRole(role));
        c.out().print("Role " + role + " removed\n");
    }

    static void roleGrantRevoke(V2Context c, boolean grant) {
        String path = c.local.string("path");
        if (path.isEmpty()) {
            throw failed(c, "No path specified; please use `--path`");
        }
        String canonical = canonicalPath(path);
        if (!canonical.equals(path)) {
            throw failed(c, "Not canonical path; please use `--path=" + canonical + "`");
        }
        boolean read = c.local.bool("read");
        boolean write = c.local.bool("write");
        boolean rw = c.local.bool("readwrite");
        if ((read ? 1 : 0) + (write ? 1 : 0) + (rw ? 1 : 0) != 1) {
            throw failed(c, "Please specify exactly one of --read, --write or --readwrite");
        }
        String role = name(c, "role name");
        AuthApi api = api(c);
        attempt(c, () -> {
            AuthApi.Role before = api.role(role);
            AuthApi.Role after = api.changeRole(role, grant, path, read || rw, write || rw);
            if (after.equals(before)) {
                c.out().print(grant ? "Role unchanged; already granted" : "Role unchanged; already revoked");
            }
        });
        c.out().print("Role " + role + " updated\n");
    }

    /** pkg/pathutil's CanonicalURLPath: rooted, cleaned, a trailing slash kept. */
    static String canonicalPath(String p) {
        if (p.isEmpty()) {
            return "/";
        }
        if (p.charAt(0) != '/') {
            p = "/" + p;
        }
        String np = Path.of(p).normalize().toString();
        if (p.charAt(p.length() - 1) == '/' && !np.equals("/")) {
            np += "/";
        }
        return np;
    }
}
