package io.etcdj.server.auth;

import com.google.protobuf.ByteString;
import io.etcdj.api.authpb.Permission;
import io.etcdj.api.authpb.Permission.Type;
import io.etcdj.api.authpb.Role;
import io.etcdj.api.authpb.User;
import io.etcdj.api.authpb.UserAddOptions;
import io.etcdj.server.EtcdError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.TreeMap;

/**
 * The auth store's content at one revision: enabled or not, the users and the roles. Immutable;
 * every change returns a new state whose revision is one higher, or this same state when etcd
 * ignores the request (enabling twice, granting a role already granted), or fails with etcd's
 * error. Users keep their roles sorted; roles keep their permissions sorted by key, as etcd does.
 *
 * <p>The role "root" need not exist to be granted; a user holding it may do anything.
 */
public final class AuthState {
    public static final String ROOT = "root";
    public static final AuthState EMPTY = new AuthState(false, 0, new TreeMap<>(), new TreeMap<>());

    private final boolean enabled;
    private final long revision;
    private final SortedMap<String, User> users;
    private final SortedMap<String, Role> roles;
    /**
     * Each user's merged READ and WRITE permissions, computed on first use. Safe to cache for the
     * state's life: the state never changes, and every change makes a new state (empty cache).
     */
    private final Map<String, KeyPermissions> permissionCache = new ConcurrentHashMap<>();

    private AuthState(boolean enabled, long revision, SortedMap<String, User> users, SortedMap<String, Role> roles) {
        this.enabled = enabled;
        this.revision = revision;
        this.users = Collections.unmodifiableSortedMap(users);
        this.roles = Collections.unmodifiableSortedMap(roles);
    }

    public static AuthState of(boolean enabled, long revision, List<User> users, List<Role> roles) {
        TreeMap<String, User> u = new TreeMap<>();
        users.forEach(x -> u.put(x.getName().toStringUtf8(), x));
        TreeMap<String, Role> r = new TreeMap<>();
        roles.forEach(x -> r.put(x.getName().toStringUtf8(), x));
        return new AuthState(enabled, revision, u, r);
    }

    public boolean enabled() {
        return enabled;
    }

    public long revision() {
        return revision;
    }

    public User user(String name) {
        return users.get(name);
    }

    public Role role(String name) {
        return roles.get(name);
    }

    public List<User> users() {
        return List.copyOf(users.values());
    }

    public List<Role> roles() {
        return List.copyOf(roles.values());
    }

    // ------------------------------------------------------------------ transitions

    public AuthState enable() {
        if (enabled) {
            return this;
        }
        User root = users.get(ROOT);
        if (root == null) {
            throw EtcdError.ROOT_USER_NOT_EXIST.exception();
        }
        if (!root.getRolesList().contains(ROOT)) {
            throw EtcdError.ROOT_ROLE_NOT_EXIST.exception();
        }
        return new AuthState(true, revision + 1, new TreeMap<>(users), new TreeMap<>(roles));
    }

    public AuthState disable() {
        if (!enabled) {
            return this;
        }
        return new AuthState(false, revision + 1, new TreeMap<>(users), new TreeMap<>(roles));
    }

    /** {@code hashedPassword} is empty for a user without password. */
    public AuthState userAdd(String name, String hashedPassword, boolean noPassword) {
        if (name.isEmpty()) {
            throw EtcdError.USER_EMPTY.exception();
        }
        if (users.containsKey(name)) {
            throw EtcdError.USER_ALREADY_EXIST.exception();
        }
        User.Builder u = User.newBuilder().setName(ByteString.copyFromUtf8(name))
                .setPassword(ByteString.copyFromUtf8(noPassword ? "" : hashedPassword));
        if (noPassword) {
            u.setOptions(UserAddOptions.newBuilder().setNoPassword(true));
        }
        return withUser(name, u.build());
    }

    public AuthState userDelete(String name) {
        if (enabled && ROOT.equals(name)) {
            throw EtcdError.INVALID_AUTH_MGMT.exception();
        }
        existingUser(name);
        TreeMap<String, User> u = new TreeMap<>(users);
        u.remove(name);
        return new AuthState(enabled, revision + 1, u, new TreeMap<>(roles));
    }

    public AuthState userChangePassword(String name, String hashedPassword) {
        User u = existingUser(name);
        return withUser(name, u.toBuilder().setPassword(ByteString.copyFromUtf8(hashedPassword)).build());
    }

    public AuthState userGrantRole(String name, String role) {
        User u = existingUser(name);
        if (!ROOT.equals(role) && !roles.containsKey(role)) {
            throw EtcdError.ROLE_NOT_FOUND.exception();
        }
        if (u.getRolesList().contains(role)) {
            return this;
        }
        List<String> granted = new ArrayList<>(u.getRolesList());
        granted.add(role);
        Collections.sort(granted);
        return withUser(name, u.toBuilder().clearRoles().addAllRoles(granted).build());
    }

    public AuthState userRevokeRole(String name, String role) {
        if (enabled && ROOT.equals(name) && ROOT.equals(role)) {
            throw EtcdError.INVALID_AUTH_MGMT.exception();
        }
        User u = existingUser(name);
        if (!u.getRolesList().contains(role)) {
            throw EtcdError.ROLE_NOT_GRANTED.exception();
        }
        List<String> granted = new ArrayList<>(u.getRolesList());
        granted.remove(role);
        return withUser(name, u.toBuilder().clearRoles().addAllRoles(granted).build());
    }

    public AuthState roleAdd(String name) {
        if (name.isEmpty()) {
            throw EtcdError.ROLE_EMPTY.exception();
        }
        if (roles.containsKey(name)) {
            throw EtcdError.ROLE_ALREADY_EXIST.exception();
        }
        return withRole(name, Role.newBuilder().setName(ByteString.copyFromUtf8(name)).build());
    }

    /** Deletes the role and revokes it from every user holding it. */
    public AuthState roleDelete(String name) {
        if (enabled && ROOT.equals(name)) {
            throw EtcdError.INVALID_AUTH_MGMT.exception();
        }
        existingRole(name);
        TreeMap<String, Role> r = new TreeMap<>(roles);
        r.remove(name);
        TreeMap<String, User> u = new TreeMap<>(users);
        u.replaceAll((n, user) -> user.getRolesList().contains(name)
                ? user.toBuilder().clearRoles().addAllRoles(
                        user.getRolesList().stream().filter(x -> !x.equals(name)).toList()).build()
                : user);
        return new AuthState(enabled, revision + 1, u, r);
    }

    /** Adds the permission, or changes the type of the one with the same key and range end. */
    public AuthState roleGrantPermission(String name, Permission perm) {
        Role role = existingRole(name);
        List<Permission> perms = new ArrayList<>(role.getKeyPermissionList());
        int same = indexOf(perms, perm.getKey(), perm.getRangeEnd());
        if (same >= 0) {
            perms.set(same, perm);
        } else {
            perms.add(perm);
            perms.sort((a, b) -> ByteString.unsignedLexicographicalComparator().compare(a.getKey(), b.getKey()));
        }
        return withRole(name, role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build());
    }

    public AuthState roleRevokePermission(String name, ByteString key, ByteString rangeEnd) {
        Role role = existingRole(name);
        List<Permission> perms = new ArrayList<>(role.getKeyPermissionList());
        int same = indexOf(perms, key, rangeEnd);
        if (same < 0) {
            throw EtcdError.PERMISSION_NOT_GRANTED.exception();
        }
        perms.remove(same);
        return withRole(name, role.toBuilder().clearKeyPermission().addAllKeyPermission(perms).build());
    }

    // ------------------------------------------------------------------ checks

    /**
     * May {@code caller} access the key or range with {@code type}? Passes when auth is disabled
     * or the caller is trusted; otherwise etcd's checks in etcd's order.
     */
    public void checkKey(Caller caller, Type type, ByteString key, ByteString rangeEnd) {
        User user = checkedUser(caller);
        if (user == null || isRoot(user)) {
            return;
        }
        KeyPermissions granted = permissionCache.computeIfAbsent(user.getName().toStringUtf8() + "\n" + type,
                k -> keyPermissions(user, type));
        if (!granted.permits(key, rangeEnd)) {
            throw EtcdError.PERMISSION_DENIED.exception();
        }
    }

    private KeyPermissions keyPermissions(User user, Type type) {
        List<Permission> perms = new ArrayList<>();
        for (String r : user.getRolesList()) {
            Role role = roles.get(r);
            if (role != null) {
                perms.addAll(role.getKeyPermissionList());
            }
        }
        return KeyPermissions.of(perms, type);
    }

    /** Null when no check applies (disabled, trusted); else the caller's user, revision checked. */
    private User checkedUser(Caller caller) {
        if (!enabled || caller.trusted()) {
            return null;
        }
        if (caller.user().isEmpty() || caller.authRevision() == 0) {
            throw EtcdError.USER_EMPTY.exception();
        }
        if (caller.authRevision() < revision) {
            throw EtcdError.AUTH_OLD_REVISION.exception();
        }
        User user = users.get(caller.user());
        if (user == null) {
            throw EtcdError.PERMISSION_DENIED.exception();
        }
        return user;
    }

    /** Only a user holding the role root may manage auth, membership, compaction, ... */
    public void checkAdmin(Caller caller) {
        if (!enabled || caller.trusted()) {
            return;
        }
        if (caller.user().isEmpty()) {
            throw EtcdError.USER_EMPTY.exception();
        }
        User user = users.get(caller.user());
        if (user == null) {
            throw EtcdError.USER_NOT_FOUND.exception();
        }
        if (!isRoot(user)) {
            throw EtcdError.PERMISSION_DENIED.exception();
        }
    }

    private static boolean isRoot(User user) {
        return user.getRolesList().contains(ROOT);
    }

    private User existingUser(String name) {
        User u = users.get(name);
        if (u == null) {
            throw EtcdError.USER_NOT_FOUND.exception();
        }
        return u;
    }

    private Role existingRole(String name) {
        Role r = roles.get(name);
        if (r == null) {
            throw EtcdError.ROLE_NOT_FOUND.exception();
        }
        return r;
    }

    private static int indexOf(List<Permission> perms, ByteString key, ByteString rangeEnd) {
        for (int i = 0; i < perms.size(); i++) {
            if (perms.get(i).getKey().equals(key) && perms.get(i).getRangeEnd().equals(rangeEnd)) {
                return i;
            }
        }
        return -1;
    }

    private AuthState withUser(String name, User user) {
        TreeMap<String, User> u = new TreeMap<>(users);
        u.put(name, user);
        return new AuthState(enabled, revision + 1, u, new TreeMap<>(roles));
    }

    private AuthState withRole(String name, Role role) {
        TreeMap<String, Role> r = new TreeMap<>(roles);
        r.put(name, role);
        return new AuthState(enabled, revision + 1, new TreeMap<>(users), r);
    }
}
