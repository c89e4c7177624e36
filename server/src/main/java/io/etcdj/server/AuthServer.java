package io.etcdj.server;

import io.etcdj.api.etcdserverpb.*;
import io.etcdj.server.auth.Caller;
import java.util.concurrent.CompletableFuture;

/**
 * The etcdserverpb.Auth operations of one member, under the {@link EtcdServer} contract (never
 * blocks; fails only with {@link EtcdException}). Each takes the {@link Caller} its token named:
 * while auth is enabled every operation but Authenticate and AuthStatus needs the root role,
 * except that a user may get itself and the roles it holds. Changes go through raft; passwords
 * are bcrypt-hashed on this member before the proposal, so they never enter the log in clear.
 * Reads are linearizable.
 */
public interface AuthServer {
    CompletableFuture<AuthEnableResponse> authEnable(AuthEnableRequest r, Caller caller);

    CompletableFuture<AuthDisableResponse> authDisable(AuthDisableRequest r, Caller caller);

    CompletableFuture<AuthStatusResponse> authStatus(AuthStatusRequest r, Caller caller);

    /** Checks the password, then proposes the token (valid on every member once applied). */
    CompletableFuture<AuthenticateResponse> authenticate(AuthenticateRequest r);

    CompletableFuture<AuthUserAddResponse> userAdd(AuthUserAddRequest r, Caller caller);

    CompletableFuture<AuthUserGetResponse> userGet(AuthUserGetRequest r, Caller caller);

    CompletableFuture<AuthUserListResponse> userList(AuthUserListRequest r, Caller caller);

    CompletableFuture<AuthUserDeleteResponse> userDelete(AuthUserDeleteRequest r, Caller caller);

    CompletableFuture<AuthUserChangePasswordResponse> userChangePassword(AuthUserChangePasswordRequest r, Caller caller);

    CompletableFuture<AuthUserGrantRoleResponse> userGrantRole(AuthUserGrantRoleRequest r, Caller caller);

    CompletableFuture<AuthUserRevokeRoleResponse> userRevokeRole(AuthUserRevokeRoleRequest r, Caller caller);

    CompletableFuture<AuthRoleAddResponse> roleAdd(AuthRoleAddRequest r, Caller caller);

    CompletableFuture<AuthRoleGetResponse> roleGet(AuthRoleGetRequest r, Caller caller);

    CompletableFuture<AuthRoleListResponse> roleList(AuthRoleListRequest r, Caller caller);

    CompletableFuture<AuthRoleDeleteResponse> roleDelete(AuthRoleDeleteRequest r, Caller caller);

    CompletableFuture<AuthRoleGrantPermissionResponse> roleGrantPermission(AuthRoleGrantPermissionRequest r,
                                                                           Caller caller);

    CompletableFuture<AuthRoleRevokePermissionResponse> roleRevokePermission(AuthRoleRevokePermissionRequest r,
                                                                             Caller caller);
}
