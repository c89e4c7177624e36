package io.etcdj.server.v2.auth;

import io.etcdj.server.auth.PasswordHasher;
import io.etcdj.server.v2.http.V2Cluster;
import io.etcdj.server.v2.store.NodeView;
import io.etcdj.server.v2.store.V2Error;
import io.etcdj.server.v2.store.V2Request;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * etcd's v2 users and roles, kept as JSON records in the replicated v2 store under "/2" (outside
 * the "/1" the keys API shows): "/2/users/NAME", "/2/roles/NAME" and "/2/enabled" ("true" or
 * "false"). Every change is an ordinary v2 write proposed through raft, so all members hold the
 * same records and they survive restarts and snapshots with the rest of the v2 store.
 *
 * <p>The sequence of store operations is etcd's, so the etcd index moves as it does there: before
 * its first write a process creates "/2", "/2/users", "/2/roles" and "/2/enabled"=false (each
 * create-if-absent, failures on existing nodes ignored); lookups made before a change use quorum
 * reads (a raft entry each), the checks of requests use local reads.
 *
 * <p>Thread-safe: state lives in the store; the only field is the "directories exist" flag.
 * Passwords are hashed with bcrypt at etcd's default cost; neither they nor hashes are logged.
 */
public final class V2AuthStore {
    static final String PREFIX = "/2";
    private static final int BCRYPT_DEFAULT_COST = 10;

    private final V2Cluster cluster;
    private final LongSupplier clockNanos;
    private final PasswordHasher hasher = new PasswordHasher(BCRYPT_DEFAULT_COST);
    private volatile boolean directoriesEnsured;

    public V2AuthStore(V2Cluster cluster, LongSupplier clockNanos) {
        this.cluster = cluster;
        this.clockNanos = clockNanos;
    }

    // ---------------------------------------------------------------- users

    /** User names, sorted. */
    public List<String> allUsers() {
        return children("/users");
    }

    /** A user with its hash, from the local store; 404 when absent. */
    public V2User user(String name) {
        return user(name, false);
    }

    /**
     * PUT without grant/revoke or roles: an update when the user exists (201 never), else a creation.
     * Returns the stored user and whether it was created.
     */
    public Created<V2User> createOrUpdateUser(V2User u) {
        try {
            user(u.name(), true);
        } catch (V2AuthError absent) {
            return new Created<>(createUser(u), true);
        }
        return new Created<>(updateUser(u), false);
    }

    public V2User createUser(V2User u) {
        u = u.withRootRoleIfRoot();
        if (u.password().isEmpty()) {
            throw V2AuthError.of(400, "Cannot create user " + u.name() + " with an empty password");
        }
        V2User stored = new V2User(u.name(), hasher.hash(u.password()), u.roles(), u.grant(), u.revoke());
        try {
            write("/users/" + u.name(), V2AuthJson.user(stored), false);
        } catch (V2Error e) {
            if (e.code() == V2Error.NODE_EXIST) {
                throw V2AuthError.conflict("User " + u.name() + " already exists.");
            }
            throw e;
        }
        return stored;
    }

    public V2User updateUser(V2User change) {
        V2User old = user(change.name(), true);
        String newHash = change.password().isEmpty() ? null : hasher.hash(change.password());
        V2User updated = old.merge(change, newHash);
        if (updated.equals(old)) {
            throw V2AuthError.of(400, "User not updated. Use grant/revoke/password to update the user.");
        }
        write("/users/" + change.name(), V2AuthJson.user(updated), true);
        return updated;
    }

    public void deleteUser(String name) {
        if (authEnabled() && name.equals(V2Role.ROOT)) {
            throw V2AuthError.forbidden("Cannot delete root user while auth is enabled.");
        }
        try {
            delete("/users/" + name);
        } catch (V2Error e) {
            if (e.code() == V2Error.KEY_NOT_FOUND) {
                throw V2AuthError.notFound("User " + name + " does not exist");
            }
            throw e;
        }
    }

    /** Whether {@code password} is the user's (a bcrypt check: tens of milliseconds). */
    public boolean checkPassword(V2User u, String password) {
        return hasher.matches(password, u.password());
    }

    // ---------------------------------------------------------------- roles

    /** Role names including "root", sorted. */
    public List<String> allRoles() {
        List<String> names = new ArrayList<>(children("/roles"));
        names.add(V2Role.ROOT);
        Collections.sort(names);
        return names;
    }

    /** A role from the local store ("root" is built in); 404 when absent. */
    public V2Role role(String name) {
        return role(name, false);
    }

    public void createRole(V2Role r) {
        if (r.name().equals(V2Role.ROOT)) {
            throw rootRoleIsFixed();
        }
        try {
            write("/roles/" + r.name(), V2AuthJson.role(r), false);
        } catch (V2Error e) {
            if (e.code() == V2Error.NODE_EXIST) {
                throw V2AuthError.conflict("Role " + r.name() + " already exists.");
            }
            throw e;
        }
    }

    public V2Role updateRole(V2Role change) {
        if (change.name().equals(V2Role.ROOT)) {
            throw rootRoleIsFixed();
        }
        V2Role old = role(change.name(), true);
        V2Role updated = old.merge(change);
        if (updated.equals(old)) {
            throw V2AuthError.of(400, "Role not updated. Use grant/revoke to update the role.");
        }
        write("/roles/" + change.name(), V2AuthJson.role(updated), true);
        return updated;
    }

    public void deleteRole(String name) {
        if (name.equals(V2Role.ROOT)) {
            throw rootRoleIsFixed();
        }
        try {
            delete("/roles/" + name);
        } catch (V2Error e) {
            if (e.code() == V2Error.KEY_NOT_FOUND) {
                throw V2AuthError.notFound("Role " + name + " doesn't exist.");
            }
            throw e;
        }
    }

    private static V2AuthError rootRoleIsFixed() {
        return V2AuthError.forbidden("Cannot modify role root: is root role.");
    }

    // ---------------------------------------------------------------- enable / disable

    /** Whether "/2/enabled" holds true (a local read; absent or unreadable means disabled). */
    public boolean authEnabled() {
        try {
            String v = cluster.get(PREFIX + "/enabled", false, false).event().node().value();
            return "true".equals(v == null ? null : v.trim());
        } catch (V2Error e) {
            return false;
        }
    }

    /** Needs the root user; creates the default guest role when there is none. */
    public void enable() {
        if (authEnabled()) {
            throw V2AuthError.conflict("already enabled");
        }
        try {
            user(V2Role.ROOT, true);
        } catch (V2AuthError e) {
            throw V2AuthError.conflict("No root user available, please create one");
        }
        try {
            role(V2Role.GUEST, true);
        } catch (V2AuthError e) {
            createRole(V2Role.DEFAULT_GUEST);
        }
        write("/enabled", "true", true);
    }

    public void disable() {
        if (!authEnabled()) {
            throw V2AuthError.conflict("already disabled");
        }
        write("/enabled", "false", true);
    }

    // ---------------------------------------------------------------- store access

    /** A result plus whether it was newly created. */
    public record Created<T>(T value, boolean created) {
    }

    private V2User user(String name, boolean quorum) {
        String json;
        try {
            json = read("/users/" + name, quorum);
        } catch (V2Error e) {
            if (e.code() == V2Error.KEY_NOT_FOUND) {
                throw V2AuthError.notFound("User " + name + " does not exist.");
            }
            throw e;
        }
        try {
            return V2AuthJson.readUser(json).withRootRoleIfRoot();
        } catch (V2AuthJson.Malformed e) {
            throw new V2Error(V2Error.RAFT_INTERNAL, "malformed user record " + name, 0);
        }
    }

    private V2Role role(String name, boolean quorum) {
        if (name.equals(V2Role.ROOT)) {
            return V2Role.ROOT_ROLE;
        }
        String json;
        try {
            json = read("/roles/" + name, quorum);
        } catch (V2Error e) {
            if (e.code() == V2Error.KEY_NOT_FOUND) {
                throw V2AuthError.notFound("Role " + name + " does not exist.");
            }
            throw e;
        }
        try {
            return V2AuthJson.readRole(json);
        } catch (V2AuthJson.Malformed e) {
            throw new V2Error(V2Error.RAFT_INTERNAL, "malformed role record " + name, 0);
        }
    }

    private List<String> children(String dir) {
        NodeView n;
        try {
            n = cluster.get(PREFIX + dir, false, false).event().node();
        } catch (V2Error e) {
            if (e.code() == V2Error.KEY_NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
        List<String> names = new ArrayList<>();
        if (n.nodes() != null) {
            for (NodeView c : n.nodes()) {
                names.add(c.key().substring(c.key().lastIndexOf('/') + 1));
            }
        }
        Collections.sort(names);
        return names;
    }

    private String read(String resource, boolean quorum) {
        String path = PREFIX + resource;
        NodeView n = quorum
                ? cluster.propose(request("QGET", path, "", false, null)).event().node()
                : cluster.get(path, false, false).event().node();
        return n.value() == null ? "" : n.value();
    }

    private void write(String resource, String value, boolean mustExist) {
        ensureDirectories();
        cluster.propose(request("PUT", PREFIX + resource, value, false, mustExist));
    }

    private void delete(String resource) {
        ensureDirectories();
        cluster.propose(request("DELETE", PREFIX + resource, "", false, true));
    }

    /** Creates the auth directories and the "enabled" flag once per process, as etcd does. */
    private void ensureDirectories() {
        if (directoriesEnsured) {
            return;
        }
        for (String dir : List.of(PREFIX, PREFIX + "/users/", PREFIX + "/roles/")) {
            createIfAbsent(dir, "", true);
        }
        createIfAbsent(PREFIX + "/enabled", "false", false);
        directoriesEnsured = true;
    }

    private void createIfAbsent(String path, String value, boolean dir) {
        try {
            cluster.propose(request("PUT", path, value, dir, false));
        } catch (V2Error e) {
            if (e.code() != V2Error.NODE_EXIST) {
                throw e;
            }
        }
    }

    private V2Request request(String method, String path, String value, boolean dir, Boolean prevExist) {
        return new V2Request(0, method, path, value, dir, "", 0, prevExist, 0, false, 0, false, false,
                method.equals("QGET"), clockNanos.getAsLong(), false, null);
    }
}
