package io.etcdj.server.auth;

import com.google.protobuf.ByteString;
import io.etcdj.api.authpb.Permission;
import io.etcdj.api.etcdserverpb.AuthDisableResponse;
import io.etcdj.api.etcdserverpb.AuthEnableResponse;
import io.etcdj.api.etcdserverpb.AuthRoleAddResponse;
import io.etcdj.api.etcdserverpb.AuthRoleDeleteResponse;
import io.etcdj.api.etcdserverpb.AuthRoleGrantPermissionResponse;
import io.etcdj.api.etcdserverpb.AuthRoleRevokePermissionResponse;
import io.etcdj.api.etcdserverpb.AuthUserAddResponse;
import io.etcdj.api.etcdserverpb.AuthUserChangePasswordResponse;
import io.etcdj.api.etcdserverpb.AuthUserDeleteResponse;
import io.etcdj.api.etcdserverpb.AuthUserGrantRoleResponse;
import io.etcdj.api.etcdserverpb.AuthUserRevokeRoleResponse;
import io.etcdj.api.etcdserverpb.AuthenticateResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.server.EtcdError;
import io.etcdj.server.pb.InternalRaftRequest;
import io.etcdj.server.storage.ServerBackend;
import io.etcdj.server.storage.StoredAuth;

/**
 * The member's auth store: the current {@link AuthState} (published through a volatile field,
 * so checks on gRPC threads never lock) over its copy in the backend, and the member's
 * {@link TokenProvider}.
 *
 * <p>Invariants: only the applier thread changes the state, through {@link #apply}, which commits
 * the new state together with the apply position in one backend batch BEFORE publishing it; so
 * the published state is always the one of the backend's consistent index. After the backend is
 * replaced by a snapshot, {@link #reload} re-reads it.
 */
public final class AuthStore {
    private final ServerBackend backend;
    private final TokenProvider tokens;
    private volatile AuthState state;

    public AuthStore(ServerBackend backend, TokenProvider tokens) {
        this.backend = backend;
        this.tokens = tokens;
        reload();
    }

    public AuthState state() {
        return state;
    }

    public TokenProvider tokens() {
        return tokens;
    }

    /** Re-reads the stored state (after the backend was restored from a snapshot). */
    public void reload() {
        StoredAuth s = backend.loadAuth();
        state = AuthState.of(s.enabled(), s.revision(), s.users(), s.roles());
    }

    /**
     * The caller a client's token names; {@link Caller#ANONYMOUS} without a token. Fails with
     * "invalid auth token" for an unknown or expired token.
     */
    public Caller caller(String token) {
        if (token == null || token.isEmpty()) {
            return Caller.ANONYMOUS;
        }
        Caller caller = tokens.caller(token, state.revision());
        if (caller == null) {
            throw EtcdError.INVALID_AUTH_TOKEN.exception();
        }
        return caller;
    }

    /** Whether the request changes the auth store (and is applied by {@link #apply}). */
    public static boolean isAuthRequest(InternalRaftRequest r) {
        return switch (r.getRequestCase()) {
            case AUTH_ENABLE, AUTH_DISABLE, AUTHENTICATE, AUTH_USER_ADD, AUTH_USER_DELETE,
                    AUTH_USER_CHANGE_PASSWORD, AUTH_USER_GRANT_ROLE, AUTH_USER_REVOKE_ROLE, AUTH_ROLE_ADD,
                    AUTH_ROLE_DELETE, AUTH_ROLE_GRANT_PERMISSION, AUTH_ROLE_REVOKE_PERMISSION -> true;
            default -> false;
        };
    }

    /**
     * Applies an auth request of the raft entry at {@code index} (applier thread; the apply
     * position is already set): checks that its caller is an admin (Authenticate excepted),
     * commits the new state, publishes it, and returns etcd's response. A refused request changes
     * nothing and throws the etcd error.
     */
    public Object apply(InternalRaftRequest r, long index) {
        AuthState before = state;
        if (r.hasCaller() && r.getRequestCase() != InternalRaftRequest.RequestCase.AUTHENTICATE) {
            before.checkAdmin(new Caller(r.getCaller().getUserName(), r.getCaller().getAuthRevision()));
        }
        ResponseHeader header = ResponseHeader.newBuilder().setRevision(backend.currentRevision()).build();
        switch (r.getRequestCase()) {
            case AUTHENTICATE -> {
                // no store change: the token is the only effect (and the consistent index)
                if (!before.enabled()) {
                    throw EtcdError.AUTH_NOT_ENABLED.exception();
                }
                String name = r.getAuthenticate().getName();
                if (before.user(name) == null) {
                    throw EtcdError.AUTH_FAILED.exception();
                }
                backend.markApplied();
                String token = tokens.assign(r.getAuthenticate().getSimpleTokenPrefix(), index, name,
                        before.revision());
                return AuthenticateResponse.newBuilder().setHeader(header).setToken(token).build();
            }
            case AUTH_ENABLE -> {
                commit(before.enable());
                return AuthEnableResponse.newBuilder().setHeader(header).build();
            }
            case AUTH_DISABLE -> {
                commit(before.disable());
                tokens.clear();
                return AuthDisableResponse.newBuilder().setHeader(header).build();
            }
            case AUTH_USER_ADD -> {
                var q = r.getAuthUserAdd();
                commit(before.userAdd(q.getName(), q.getHashedPassword(), q.getOptions().getNoPassword()));
                return AuthUserAddResponse.newBuilder().setHeader(header).build();
            }
            case AUTH_USER_DELETE -> {
                commit(before.userDelete(r.getAuthUserDelete().getName()));
                tokens.invalidateUser(r.getAuthUserDelete().getName());
                return AuthUserDeleteResponse.newBuilder().setHeader(header).build();
            }
            case AUTH_USER_CHANGE_PASSWORD -> {
                var q = r.getAuthUserChangePassword();
                commit(before.userChangePassword(q.getName(), q.getHashedPassword()));
                tokens.invalidateUser(q.getName());
                return AuthUserChangePasswordResponse.newBuilder().setHeader(header).build();
            }
            case AUTH_USER_GRANT_ROLE -> {
                var q = r.getAuthUserGrantRole();
                commit(before.userGrantRole(q.getUser(), q.getRole()));
                return AuthUserGrantRoleResponse.newBuilder().setHeader(header).build();
            }
            case AUTH_USER_REVOKE_ROLE -> {
                var q = r.getAuthUserRevokeRole();
                commit(before.userRevokeRole(q.getName(), q.getRole()));
                return AuthUserRevokeRoleResponse.newBuilder().setHeader(header).build();
            }
            case AUTH_ROLE_ADD -> {
                commit(before.roleAdd(r.getAuthRoleAdd().getName()));
                return AuthRoleAddResponse.newBuilder().setHeader(header).build();
            }
            case AUTH_ROLE_DELETE -> {
                commit(before.roleDelete(r.getAuthRoleDelete().getRole()));
                return AuthRoleDeleteResponse.newBuilder().setHeader(header).build();
            }
            case AUTH_ROLE_GRANT_PERMISSION -> {
                var q = r.getAuthRoleGrantPermission();
                commit(before.roleGrantPermission(q.getName(), q.getPerm()));
                return AuthRoleGrantPermissionResponse.newBuilder().setHeader(header).build();
            }
            case AUTH_ROLE_REVOKE_PERMISSION -> {
                var q = r.getAuthRoleRevokePermission();
                commit(before.roleRevokePermission(q.getRole(), q.getKey(), q.getRangeEnd()));
                return AuthRoleRevokePermissionResponse.newBuilder().setHeader(header).build();
            }
            default -> throw new IllegalArgumentException("not an auth request: " + r.getRequestCase());
        }
    }

    /** Persists (with the apply position) and then publishes; an unchanged state records the position alone. */
    private void commit(AuthState next) {
        if (next == state) {
            backend.markApplied();
            return;
        }
        backend.saveAuth(new StoredAuth(next.enabled(), next.revision(), next.users(), next.roles()));
        state = next;
    }

    /** Convenience for permission checks of a key or range (see {@link AuthState#checkKey}). */
    public void checkKey(Caller caller, Permission.Type type, ByteString key, ByteString rangeEnd) {
        state.checkKey(caller, type, key, rangeEnd);
    }
}
