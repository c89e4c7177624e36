package io.etcdj.server.v2.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A v2 user. In the store {@code password} is the bcrypt hash; in a request it is the clear
 * password (or "" for none) and must never be logged or answered. {@code roles} may be null (JSON
 * null) and keeps its order; {@code grant}/{@code revoke} are a request's role changes, never stored.
 */
public record V2User(String name, String password, List<String> roles, List<String> grant, List<String> revoke) {
    public V2User {
        password = password == null ? "" : password;
    }

    /** The user "root" always holds the root role (appended when its record lacks it). */
    V2User withRootRoleIfRoot() {
        if (!name.equals(V2Role.ROOT) || (roles != null && roles.contains(V2Role.ROOT))) {
            return this;
        }
        List<String> r = roles == null ? new ArrayList<>() : new ArrayList<>(roles);
        r.add(V2Role.ROOT);
        return new V2User(name, password, r, grant, revoke);
    }

    /**
     * The stored user after a change: {@code newHash} (or the old hash when null), the change's
     * grants added and revokes removed, roles sorted. Granting a held role or revoking one not held is a 409.
     */
    V2User merge(V2User change, String newHash) {
        TreeSet<String> r = new TreeSet<>(roles == null ? List.of() : roles);
        for (String g : orEmpty(change.grant)) {
            if (!r.add(g)) {
                throw V2AuthError.conflict("Granting duplicate role " + g + " for user " + change.name);
            }
        }
        for (String g : orEmpty(change.revoke)) {
            if (!r.remove(g)) {
                throw V2AuthError.conflict("Revoking ungranted role " + g + " for user " + change.name);
            }
        }
        return new V2User(name, newHash == null ? password : newHash, new ArrayList<>(r), null, null);
    }

    /** The user as answered: without the password. */
    public V2User withoutPassword() {
        return new V2User(name, "", roles, grant, revoke);
    }

    @Override
    public String toString() {
        return "V2User[" + name + "]"; // never the password or its hash
    }

    static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }
}
