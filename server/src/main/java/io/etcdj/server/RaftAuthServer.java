package io.etcdj.server;

import io.etcdj.api.authpb.Role;
import io.etcdj.api.authpb.User;
import io.etcdj.api.etcdserverpb.*;
import io.etcdj.server.auth.AuthState;
import io.etcdj.server.auth.AuthStore;
import io.etcdj.server.auth.Caller;
import io.etcdj.server.auth.PasswordHasher;
import io.etcdj.server.pb.AuthCaller;
import io.etcdj.server.pb.InternalAuthenticateRequest;
import io.etcdj.server.pb.InternalRaftRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link AuthServer} over raft: changes are proposed through {@link RaftEtcdServer} (with the
 * caller, so the applier checks the admin permission against the store as of the entry);
 * bcrypt work (hashing, verifying) runs on the read executor, never on a gRPC thread; reads wait
 * for a linearizable barrier and then read the published {@link AuthState}.
 */
final class RaftAuthServer implements AuthServer {
    /** Proposes a request (caller already set) and completes with what the applier produced. */
    interface Proposer {
        <T> CompletableFuture<T> propose(InternalRaftRequest.Builder request);
    }

    private final AuthStore store;
    private final PasswordHasher hasher;
    private final Proposer proposer;
    private final Supplier<CompletableFuture<Void>> barrier;
    private final Supplier<ResponseHeader> header;
    private final Function<ResponseHeader, ResponseHeader> completeHeader;
    private final Executor work;
    private final ErrorGuard guard;

    RaftAuthServer(AuthStore store, PasswordHasher hasher, Proposer proposer, Supplier<CompletableFuture<Void>> barrier,
                   Supplier<ResponseHeader> header, Function<ResponseHeader, ResponseHeader> completeHeader,
                   Executor work, ErrorGuard guard) {
        this.guard = guard;
        this.store = store;
        this.hasher = hasher;
        this.proposer = proposer;
        this.barrier = barrier;
        this.header = header;
        this.completeHeader = completeHeader;
        this.work = work;
    }

    /** The request with its caller recorded (none for a trusted one). */
    static InternalRaftRequest.Builder withCaller(InternalRaftRequest.Builder r, Caller caller) {
        if (!caller.trusted()) {
            r.setCaller(AuthCaller.newBuilder().setUserName(caller.user())
                    .setAuthRevision(caller.authRevision()));
        }
        return r;
    }

    /** Fails fast when the caller is no admin; the applier checks again at apply time. */
    private <T> CompletableFuture<T> change(InternalRaftRequest.Builder r, Caller caller,
                                           Function<T, T> withHeader) {
        try {
            store.state().checkAdmin(caller);
        } catch (EtcdException e) {
            return CompletableFuture.failedFuture(e);
        }
        return guard.guard(proposer.<T>propose(withCaller(r, caller)).thenApply(withHeader));
    }

    private <T> CompletableFuture<T> read(Function<AuthState, T> answer) {
        return guard.guard(barrier.get().thenApplyAsync(v -> answer.apply(store.state()), work));
    }

    @Override
    public CompletableFuture<AuthEnableResponse> authEnable(AuthEnableRequest r, Caller caller) {
        return this.<AuthEnableResponse>change(InternalRaftRequest.newBuilder().setAuthEnable(r), caller,
                x -> x.toBuilder().setHeader(completeHeader.apply(x.getHeader())).build());
    }

    @Override
    public CompletableFuture<AuthDisableResponse> authDisable(AuthDisableRequest r, Caller caller) {
        return this.<AuthDisableResponse>change(InternalRaftRequest.newBuilder().setAuthDisable(r), caller,
                x -> x.toBuilder().setHeader(completeHeader.apply(x.getHeader())).build());
    }

    @Override
    public CompletableFuture<AuthStatusResponse> authStatus(AuthStatusRequest r, Caller caller) {
        return read(s -> AuthStatusResponse.newBuilder().setHeader(header.get()).setEnabled(s.enabled())
                .setAuthRevision(s.revision()).build());
    }

    @Override
    public CompletableFuture<AuthenticateResponse> authenticate(AuthenticateRequest r) {
        return guard.guard(barrier.get().thenApplyAsync(v -> {
            AuthState s = store.state();
            if (!s.enabled()) {
                throw EtcdError.AUTH_NOT_ENABLED.exception();
            }
            User u = s.user(r.getName());
            if (u != null && u.getOptions().getNoPassword()) { // with a password or without
                throw EtcdError.AUTH_NO_PASSWORD_USER.exception();
            }
            if (u == null || !hasher.matches(r.getPassword(), u.getPassword().toStringUtf8())) {
                throw EtcdError.AUTH_FAILED.exception();
            }
            return InternalRaftRequest.newBuilder().setAuthenticate(InternalAuthenticateRequest.newBuilder()
                    .setName(r.getName()).setSimpleTokenPrefix(store.tokens().newPrefix()));
        }, work).thenCompose(proposer::<AuthenticateResponse>propose)
                .thenApply(x -> x.toBuilder().setHeader(completeHeader.apply(x.getHeader())).build()));
    }

    @Override
    public CompletableFuture<AuthUserAddResponse> userAdd(AuthUserAddRequest r, Caller caller) {
        // an empty name is refused when applied, as etcd refuses it: before any hashing
        boolean hashNeeded = !r.getOptions().getNoPassword() && !r.getName().isEmpty();
        return guard.guard(hashed(hashNeeded ? r.getPassword() : null, caller).thenCompose(hash -> {
            AuthUserAddRequest.Builder q = r.toBuilder().clearPassword();
            if (hash != null) {
                q.setHashedPassword(hash);
            }
            return this.<AuthUserAddResponse>change(InternalRaftRequest.newBuilder().setAuthUserAdd(q), caller,
                    x -> x.toBuilder().setHeader(completeHeader.apply(x.getHeader())).build());
        }));
    }

    @Override
    public CompletableFuture<AuthUserChangePasswordResponse> userChangePassword(AuthUserChangePasswordRequest r,
                                                                                Caller caller) {
        return guard.guard(hashed(r.getPassword(), caller).thenCompose(hash -> this.<AuthUserChangePasswordResponse>change(
                InternalRaftRequest.newBuilder().setAuthUserChangePassword(
                        r.toBuilder().clearPassword().setHashedPassword(hash)), caller,
                x -> x.toBuilder().setHeader(completeHeader.apply(x.getHeader())).build())));
    }

    /** The bcrypt hash of the password (null for null), computed off the gRPC thread after an admin check. */
    private CompletableFuture<String> hashed(String password, Caller caller) {
        try {
            store.state().checkAdmin(caller);
        } catch (EtcdException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (password == null) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.supplyAsync(() -> hasher.hash(password), work);
    }

    @Override
    public CompletableFuture<AuthUserGetResponse> userGet(AuthUserGetRequest r, Caller caller) {
        return read(s -> {
            try {
                s.checkAdmin(caller);
            } catch (EtcdException e) {
                if (!r.getName().equals(caller.user())) {
                    throw e;
                }
            }
            User u = s.user(r.getName());
            if (u == null) {
                throw EtcdError.USER_NOT_FOUND.exception();
            }
            return AuthUserGetResponse.newBuilder().setHeader(header.get()).addAllRoles(u.getRolesList()).build();
        });
    }

    @Override
    public CompletableFuture<AuthUserListResponse> userList(AuthUserListRequest r, Caller caller) {
        return read(s -> {
            s.checkAdmin(caller);
            return AuthUserListResponse.newBuilder().setHeader(header.get())
                    .addAllUsers(s.users().stream().map(u -> u.getName().toStringUtf8()).toList()).build();
        });
    }

    @Override
    public CompletableFuture<AuthUserDeleteResponse> userDelete(AuthUserDeleteRequest r, Caller caller) {
        return this.<AuthUserDeleteResponse>change(InternalRaftRequest.newBuilder().setAuthUserDelete(r), caller,
                x -> x.toBuilder().setHeader(completeHeader.apply(x.getHeader())).build());
    }

    @Override
    public CompletableFuture<AuthUserGrantRoleResponse> userGrantRole(AuthUserGrantRoleRequest r, Caller caller) {
        return this.<AuthUserGrantRoleResponse>change(InternalRaftRequest.newBuilder().setAuthUserGrantRole(r),
                caller, x -> x.toBuilder().setHeader(completeHeader.apply(x.getHeader())).build());
    }

    @Override
    public CompletableFuture<AuthUserRevokeRoleResponse> userRevokeRole(AuthUserRevokeRoleRequest r, Caller caller) {
        return this.<AuthUserRevokeRoleResponse>change(InternalRaftRequest.newBuilder().setAuthUserRevokeRole(r),
                caller, x -> x.toBuilder().setHeader(completeHeader.apply(x.getHeader())).build());
    }

    @Override
    public CompletableFuture<AuthRoleAddResponse> roleAdd(AuthRoleAddRequest r, Caller caller) {
        return this.<AuthRoleAddResponse>change(InternalRaftRequest.newBuilder().setAuthRoleAdd(r), caller,
                x -> x.toBuilder().setHeader(completeHeader.apply(x.getHeader())).build());
    }

    @Override
    public CompletableFuture<AuthRoleGetResponse> roleGet(AuthRoleGetRequest r, Caller caller) {
        return read(s -> {
            try {
                s.checkAdmin(caller);
            } catch (EtcdException e) {
                User self = caller.user() == null ? null : s.user(caller.user());
                if (self == null || !self.getRolesList().contains(r.getRole())) {
                    throw e;
                }
            }
            Role role = s.role(r.getRole());
            if (role == null) {
                throw EtcdError.ROLE_NOT_FOUND.exception();
            }
            return AuthRoleGetResponse.newBuilder().setHeader(header.get()).addAllPerm(role.getKeyPermissionList())
                    .build();
        });
    }

    @Override
    public CompletableFuture<AuthRoleListResponse> roleList(AuthRoleListRequest r, Caller caller) {
        return read(s -> {
            s.checkAdmin(caller);
            return AuthRoleListResponse.newBuilder().setHeader(header.get())
                    .addAllRoles(s.roles().stream().map(x -> x.getName().toStringUtf8()).toList()).build();
        });
    }

    @Override
    public CompletableFuture<AuthRoleDeleteResponse> roleDelete(AuthRoleDeleteRequest r, Caller caller) {
        return this.<AuthRoleDeleteResponse>change(InternalRaftRequest.newBuilder().setAuthRoleDelete(r), caller,
                x -> x.toBuilder().setHeader(completeHeader.apply(x.getHeader())).build());
    }

    @Override
    public CompletableFuture<AuthRoleGrantPermissionResponse> roleGrantPermission(AuthRoleGrantPermissionRequest r,
                                                                                  Caller caller) {
        return this.<AuthRoleGrantPermissionResponse>change(
                InternalRaftRequest.newBuilder().setAuthRoleGrantPermission(r), caller,
                x -> x.toBuilder().setHeader(completeHeader.apply(x.getHeader())).build());
    }

    @Override
    public CompletableFuture<AuthRoleRevokePermissionResponse> roleRevokePermission(
            AuthRoleRevokePermissionRequest r, Caller caller) {
        return this.<AuthRoleRevokePermissionResponse>change(
                InternalRaftRequest.newBuilder().setAuthRoleRevokePermission(r), caller,
                x -> x.toBuilder().setHeader(completeHeader.apply(x.getHeader())).build());
    }
}
