package io.etcdj.server.storage;

import io.etcdj.api.authpb.Role;
import io.etcdj.api.authpb.User;
import java.util.List;

/**
 * The auth store as the backend holds it (etcd's schema): bucket {@code auth} maps
 * {@code authEnabled} to one byte (1 enabled, 0 disabled) and {@code authRevision} to 8 bytes
 * big-endian; {@code authUsers} maps a user name to an {@code authpb.User}; {@code authRoles}
 * maps a role name to an {@code authpb.Role}.
 */
public record StoredAuth(boolean enabled, long revision, List<User> users, List<Role> roles) {
    public static final StoredAuth EMPTY = new StoredAuth(false, 0, List.of(), List.of());

    public StoredAuth {
        users = List.copyOf(users);
        roles = List.copyOf(roles);
    }
}
