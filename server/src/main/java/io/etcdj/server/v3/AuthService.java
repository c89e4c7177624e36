package io.etcdj.server.v3;

import io.etcdj.api.etcdserverpb.*;
import io.etcdj.server.AuthServer;
import io.etcdj.server.EtcdServer;
import io.etcdj.server.auth.Caller;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** etcdserverpb.Auth: resolves the caller from the call's token, then calls the {@link AuthServer}. */
public final class AuthService extends AuthGrpc.AuthImplBase {
    private final EtcdServer server;

    public AuthService(EtcdServer server) {
        this.server = server;
    }

    private <T> void call(StreamObserver<T> out, Function<Caller, CompletableFuture<T>> op) {
        GrpcReplies.reply(TokenInterceptor.asCaller(server, op), out);
    }

    private AuthServer auth() {
        return server.auth();
    }

    @Override
    public void authEnable(AuthEnableRequest r, StreamObserver<AuthEnableResponse> out) {
        call(out, c -> auth().authEnable(r, c));
    }

    @Override
    public void authDisable(AuthDisableRequest r, StreamObserver<AuthDisableResponse> out) {
        call(out, c -> auth().authDisable(r, c));
    }

    @Override
    public void authStatus(AuthStatusRequest r, StreamObserver<AuthStatusResponse> out) {
        call(out, c -> auth().authStatus(r, c));
    }

    /** Needs no token (a stale one is ignored): it is how a client gets one. */
    @Override
    public void authenticate(AuthenticateRequest r, StreamObserver<AuthenticateResponse> out) {
        GrpcReplies.reply(auth().authenticate(r), out);
    }

    @Override
    public void userAdd(AuthUserAddRequest r, StreamObserver<AuthUserAddResponse> out) {
        call(out, c -> auth().userAdd(r, c));
    }

    @Override
    public void userGet(AuthUserGetRequest r, StreamObserver<AuthUserGetResponse> out) {
        call(out, c -> auth().userGet(r, c));
    }

    @Override
    public void userList(AuthUserListRequest r, StreamObserver<AuthUserListResponse> out) {
        call(out, c -> auth().userList(r, c));
    }

    @Override
    public void userDelete(AuthUserDeleteRequest r, StreamObserver<AuthUserDeleteResponse> out) {
        call(out, c -> auth().userDelete(r, c));
    }

    @Override
    public void userChangePassword(AuthUserChangePasswordRequest r,
                                   StreamObserver<AuthUserChangePasswordResponse> out) {
        call(out, c -> auth().userChangePassword(r, c));
    }

    @Override
    public void userGrantRole(AuthUserGrantRoleRequest r, StreamObserver<AuthUserGrantRoleResponse> out) {
        call(out, c -> auth().userGrantRole(r, c));
    }

    @Override
    public void userRevokeRole(AuthUserRevokeRoleRequest r, StreamObserver<AuthUserRevokeRoleResponse> out) {
        call(out, c -> auth().userRevokeRole(r, c));
    }

    @Override
    public void roleAdd(AuthRoleAddRequest r, StreamObserver<AuthRoleAddResponse> out) {
        call(out, c -> auth().roleAdd(r, c));
    }

    @Override
    public void roleGet(AuthRoleGetRequest r, StreamObserver<AuthRoleGetResponse> out) {
        call(out, c -> auth().roleGet(r, c));
    }

    @Override
    public void roleList(AuthRoleListRequest r, StreamObserver<AuthRoleListResponse> out) {
        call(out, c -> auth().roleList(r, c));
    }

    @Override
    public void roleDelete(AuthRoleDeleteRequest r, StreamObserver<AuthRoleDeleteResponse> out) {
        call(out, c -> auth().roleDelete(r, c));
    }

    @Override
    public void roleGrantPermission(AuthRoleGrantPermissionRequest r,
                                    StreamObserver<AuthRoleGrantPermissionResponse> out) {
        call(out, c -> auth().roleGrantPermission(r, c));
    }

    @Override
    public void roleRevokePermission(AuthRoleRevokePermissionRequest r,
                                     StreamObserver<AuthRoleRevokePermissionResponse> out) {
        call(out, c -> auth().roleRevokePermission(r, c));
    }
}
