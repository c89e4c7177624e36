package io.etcdj.server.v2.auth;

/**
 * A v2 role as etcd stores and shows it. {@code grant} and {@code revoke} are the change a PUT
 * asks for; they are null except in a role created from a request that carried an empty one
 * (etcd then stores and shows it as it came).
 */
public record V2Role(String name, V2Permissions permissions, V2Permissions grant, V2Permissions revoke) {
    public static final String ROOT = "root";
    public static final String GUEST = "guest";
    /** The built-in root role: everything, never stored, never changed. */
    public static final V2Role ROOT_ROLE = new V2Role(ROOT, V2Permissions.EVERYTHING, null, null);
    /** The guest role "auth enable" creates when there is none: everything, as before auth. */
    public static final V2Role DEFAULT_GUEST = new V2Role(GUEST, V2Permissions.EVERYTHING, null, null);

    public V2Role {
        permissions = permissions == null ? V2Permissions.NONE : permissions;
    }

    /** This role with the request's grant, then its revoke, applied (the stored form: no grant/revoke). */
    V2Role merge(V2Role change) {
        return new V2Role(name, permissions.grant(change.grant).revoke(change.revoke), null, null);
    }

    public boolean hasKeyAccess(String key, boolean write) {
        return name.equals(ROOT) || permissions.hasAccess(key, write);
    }

    public boolean hasRecursiveAccess(String key, boolean write) {
        return name.equals(ROOT) || permissions.hasRecursiveAccess(key, write);
    }
}
