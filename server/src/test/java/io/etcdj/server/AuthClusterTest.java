package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.authpb.Permission;
import io.etcdj.api.authpb.UserAddOptions;
import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AuthDisableRequest;
import io.etcdj.api.etcdserverpb.AuthEnableRequest;
import io.etcdj.api.etcdserverpb.AuthGrpc;
import io.etcdj.api.etcdserverpb.AuthRoleAddRequest;
import io.etcdj.api.etcdserverpb.AuthRoleGetRequest;
import io.etcdj.api.etcdserverpb.AuthRoleGrantPermissionRequest;
import io.etcdj.api.etcdserverpb.AuthStatusRequest;
import io.etcdj.api.etcdserverpb.AuthUserAddRequest;
import io.etcdj.api.etcdserverpb.AuthUserChangePasswordRequest;
import io.etcdj.api.etcdserverpb.AuthUserGetRequest;
import io.etcdj.api.etcdserverpb.AuthUserGrantRoleRequest;
import io.etcdj.api.etcdserverpb.AuthUserListRequest;
import io.etcdj.api.etcdserverpb.AuthenticateRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.MemberAddRequest;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.DefragmentRequest;
import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.server.auth.AuthSettings;
import io.etcdj.server.auth.Caller;
import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * v3 auth on a three-member cluster through the gRPC API, as a client sees it: enabling, tokens
 * valid on every member, a prefix reader, expiry, disabling, and the store surviving a restart.
 */
class AuthClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** bcrypt cost 4 keeps hashing cheap; a 1 s token TTL lets the expiry scenario finish quickly. */
    private static final AuthSettings FAST = new AuthSettings(4, Duration.ofSeconds(1));
    private static final AuthSettings LONG_TOKENS = new AuthSettings(4, Duration.ofSeconds(300));

    @TempDir
    Path dir;

    @Test
    void authIsEnabledOnlyOnceRootHoldsTheRootRoleAndThenEveryRequestNeedsAToken() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3, LONG_TOKENS)) {
            int leader = c.awaitLeader(WAIT);
            AuthGrpc.AuthBlockingStub auth = auth(c, leader, null);

            fails(() -> auth.authEnable(AuthEnableRequest.getDefaultInstance()),
                    Status.Code.FAILED_PRECONDITION, "etcdserver: root user does not exist");
            auth.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("x").build());
            fails(() -> auth.authEnable(AuthEnableRequest.getDefaultInstance()),
                    Status.Code.FAILED_PRECONDITION, "etcdserver: root user does not have root role");
            auth.roleAdd(AuthRoleAddRequest.newBuilder().setName("root").build());
            auth.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
            auth.userAdd(AuthUserAddRequest.newBuilder().setName("nopass")
                    .setOptions(UserAddOptions.newBuilder().setNoPassword(true)).build());
            auth.authEnable(AuthEnableRequest.getDefaultInstance());

            // found by RandomGatewayDifferentialTest (-Drandgw.seed=13, step 131), etcd 3.4.23's answer
            for (String password : new String[] {"y", ""}) {
                fails(() -> auth.authenticate(AuthenticateRequest.newBuilder().setName("nopass").setPassword(password).build()),
                        Status.Code.UNKNOWN, "auth: authentication failed, password was given for no password user");
            }
            int follower = (leader + 1) % 3;
            fails(() -> kv(c, follower, null).range(get("foo")),
                    Status.Code.INVALID_ARGUMENT, "etcdserver: user name is empty");
            fails(() -> auth(c, follower, null).authEnable(AuthEnableRequest.getDefaultInstance()),
                    Status.Code.INVALID_ARGUMENT, "etcdserver: user name is empty");
            fails(() -> auth.authenticate(AuthenticateRequest.newBuilder().setName("root").setPassword("y").build()),
                    Status.Code.INVALID_ARGUMENT, "etcdserver: authentication failed, invalid user ID or password");

            String token = token(c, leader, "root", "x");
            assertThat(token).matches("[a-zA-Z]{16}\\.\\d+");
            kv(c, follower, token).put(put("foo", "bar")); // the token is valid on every member
            assertThat(kv(c, (leader + 2) % 3, token).range(get("foo")).getKvs(0).getValue().toStringUtf8())
                    .isEqualTo("bar");
            assertThat(auth(c, follower, token).authStatus(AuthStatusRequest.getDefaultInstance()).getEnabled())
                    .isTrue();
        }
    }

    @Test
    void aUserWithReadOnAPrefixReadsItButWritesNothingAndIsNoAdmin() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 3, LONG_TOKENS)) {
            int leader = c.awaitLeader(WAIT);
            String root = enableWithRoot(c, leader);
            AuthGrpc.AuthBlockingStub admin = auth(c, leader, root);
            admin.userAdd(AuthUserAddRequest.newBuilder().setName("reader").setPassword("p").build());
            admin.roleAdd(AuthRoleAddRequest.newBuilder().setName("pre-reader").build());
            admin.roleGrantPermission(AuthRoleGrantPermissionRequest.newBuilder().setName("pre-reader")
                    .setPerm(Permission.newBuilder().setPermType(Permission.Type.READ).setKey(bytes("/pre/"))
                            .setRangeEnd(bytes("/pre0"))).build());
            admin.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("reader").setRole("pre-reader").build());
            kv(c, leader, root).put(put("/pre/a", "1"));

            int follower = (leader + 1) % 3;
            String reader = token(c, follower, "reader", "p");
            KVGrpc.KVBlockingStub kv = kv(c, follower, reader);
            assertThat(kv.range(get("/pre/a")).getKvsCount()).isEqualTo(1);
            assertThat(kv.range(RangeRequest.newBuilder().setKey(bytes("/pre/")).setRangeEnd(bytes("/pre0")).build())
                    .getCount()).isEqualTo(1);
            denied(() -> kv.put(put("/pre/a", "2")));
            denied(() -> kv.range(get("/other")));
            denied(() -> kv.range(RangeRequest.newBuilder().setKey(bytes("/pre/")).setRangeEnd(bytes("\0")).build()));
            RequestOp nestedPut = RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder()
                    .addSuccess(RequestOp.newBuilder().setRequestPut(put("/pre/b", "x")))).build();
            denied(() -> kv.txn(TxnRequest.newBuilder().addSuccess(nestedPut).build()));
            assertThat(kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestRange(get("/pre/a")))
                    .build()).getSucceeded()).isTrue();

            AuthGrpc.AuthBlockingStub self = auth(c, follower, reader);
            assertThat(self.userGet(AuthUserGetRequest.newBuilder().setName("reader").build()).getRolesList())
                    .containsExactly("pre-reader");
            assertThat(self.roleGet(AuthRoleGetRequest.newBuilder().setRole("pre-reader").build()).getPermCount())
                    .isEqualTo(1);
            denied(() -> self.userList(AuthUserListRequest.getDefaultInstance()));
            denied(() -> self.userAdd(AuthUserAddRequest.newBuilder().setName("x").setPassword("x").build()));
            denied(() -> ClusterGrpc.newBlockingStub(c.channel(follower)).withInterceptors(tokenHeader(reader))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .memberAdd(MemberAddRequest.newBuilder().addPeerURLs("http://127.0.0.1:1").build()));

            assertThat(firstWatchResponse(c, follower, reader, "/other").getCancelReason())
                    .isEqualTo("rpc error: code = PermissionDenied desc = etcdserver: permission denied");
            assertThat(firstWatchResponse(c, follower, null, "/pre/a").getCancelReason())
                    .isEqualTo("rpc error: code = InvalidArgument desc = etcdserver: user name is empty");
            WatchResponse created = firstWatchResponse(c, follower, reader, "/pre/a");
            assertThat(created.getCreated()).isTrue();
            assertThat(created.getCanceled()).isFalse();
        }
    }

    @Test
    void whoCannotWriteALeasesKeysCanNeitherRevokeItNorAttachMoreKeys() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3, LONG_TOKENS)) {
            int leader = c.awaitLeader(WAIT);
            String root = enableWithRoot(c, leader);
            AuthGrpc.AuthBlockingStub admin = auth(c, leader, root);
            admin.userAdd(AuthUserAddRequest.newBuilder().setName("w").setPassword("p").build());
            admin.roleAdd(AuthRoleAddRequest.newBuilder().setName("one-writer").build());
            admin.roleGrantPermission(AuthRoleGrantPermissionRequest.newBuilder().setName("one-writer")
                    .setPerm(Permission.newBuilder().setPermType(Permission.Type.READWRITE).setKey(bytes("/one")))
                    .build());
            admin.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("w").setRole("one-writer").build());
            long lease = LeaseGrpc.newBlockingStub(c.channel(leader)).withInterceptors(tokenHeader(root))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(100).build()).getID();
            kv(c, leader, root).put(put("/pre/a", "v").toBuilder().setLease(lease).build());

            int follower = (leader + 1) % 3;
            String w = token(c, follower, "w", "p");
            kv(c, follower, w).put(put("/one", "1")); // no lease: allowed
            denied(() -> kv(c, follower, w).put(put("/one", "2").toBuilder().setLease(lease).build()));
            LeaseGrpc.LeaseBlockingStub leases = LeaseGrpc.newBlockingStub(c.channel(follower))
                    .withInterceptors(tokenHeader(w)).withDeadlineAfter(10, TimeUnit.SECONDS);
            denied(() -> leases.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build()));
            LeaseGrpc.newBlockingStub(c.channel(follower)).withInterceptors(tokenHeader(root))
                    .withDeadlineAfter(10, TimeUnit.SECONDS).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build());
            assertThat(kv(c, follower, root).range(get("/pre/a")).getCount()).isZero();
        }
    }

    @Test
    void aWriteAuthorizedBeforeTheAuthStoreChangedIsRefusedAtApply() {
        try (EtcdCluster c = EtcdCluster.start(dir, 1, LONG_TOKENS)) {
            c.awaitLeader(WAIT);
            String root = enableWithRoot(c, 0);
            Caller resolved = c.server(0).caller(root).join();
            auth(c, 0, root).roleAdd(AuthRoleAddRequest.newBuilder().setName("another").build());

            assertThatThrownBy(() -> c.server(0).put(put("k", "v"), resolved).join())
                    .hasCauseInstanceOf(EtcdException.class)
                    .cause().hasMessage("etcdserver: revision of auth store is old");
            c.server(0).put(put("k", "v"), c.server(0).caller(root).join()).join();
        }
    }

    @Test
    void theAuthStoreReachesALaggingMemberInASnapshot() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3, 20, 5)) {
            int leader = c.awaitLeader(WAIT);
            int lagging = (leader + 1) % 3;
            c.stopMember(lagging);
            String root = enableWithRoot(c, leader);
            AuthGrpc.AuthBlockingStub admin = auth(c, leader, root);
            admin.userAdd(AuthUserAddRequest.newBuilder().setName("reader").setPassword("p").build());
            admin.roleAdd(AuthRoleAddRequest.newBuilder().setName("pre-reader").build());
            admin.roleGrantPermission(AuthRoleGrantPermissionRequest.newBuilder().setName("pre-reader")
                    .setPerm(Permission.newBuilder().setPermType(Permission.Type.READ).setKey(bytes("/pre/"))
                            .setRangeEnd(bytes("/pre0"))).build());
            admin.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("reader").setRole("pre-reader").build());
            for (int i = 0; i < 60; i++) {
                kv(c, leader, root).put(put("/pre/" + i, "v")); // past two snapshots: the log is compacted
            }

            c.startMember(lagging);
            EtcdCluster.awaitCondition(WAIT, "the lagging member to learn auth is enabled", () -> {
                try {
                    c.server(lagging).authorizeRead(Caller.ANONYMOUS, bytes("/x"), ByteString.EMPTY);
                    return false;
                } catch (EtcdException e) {
                    return e.is(EtcdError.USER_EMPTY);
                }
            });
            String reader = token(c, lagging, "reader", "p");
            assertThat(kv(c, lagging, reader).range(get("/pre/59")).getCount()).isEqualTo(1);
            denied(() -> kv(c, lagging, reader).put(put("/pre/59", "w")));
            assertThat(c.fatalErrors()).isEmpty();
        }
    }

    @Test
    void tokensExpireWithoutUseAndDieWithAPasswordChange() {
        try (EtcdCluster c = EtcdCluster.start(dir, 1, FAST)) {
            c.awaitLeader(WAIT);
            String root = enableWithRoot(c, 0);
            fails(() -> kv(c, 0, "forged.1").range(get("k")), Status.Code.UNAUTHENTICATED,
                    "etcdserver: invalid auth token");

            String expiring = token(c, 0, "root", "x");
            kv(c, 0, expiring).range(get("k")); // renews it for one TTL from now
            long lastUse = System.nanoTime();
            // any probe would renew the token: wait for the TTL itself to pass since the last use
            EtcdCluster.awaitCondition(WAIT, "one token TTL without use",
                    () -> System.nanoTime() - lastUse > FAST.tokenTtl().toNanos());
            fails(() -> kv(c, 0, expiring).range(get("k")), Status.Code.UNAUTHENTICATED,
                    "etcdserver: invalid auth token");

            String before = token(c, 0, "root", "x");
            auth(c, 0, before).userChangePassword(AuthUserChangePasswordRequest.newBuilder().setName("root")
                    .setPassword("new").build());
            fails(() -> kv(c, 0, before).range(get("k")), Status.Code.UNAUTHENTICATED,
                    "etcdserver: invalid auth token");
            kv(c, 0, token(c, 0, "root", "new")).range(get("k"));
            assertThat(root).isNotEqualTo(before);
        }
    }

    @Test
    void onlyRootDisablesAuthAndTheAuthStoreSurvivesARestart() {
        try (EtcdCluster c = EtcdCluster.start(dir, 1, LONG_TOKENS)) {
            c.awaitLeader(WAIT);
            String root = enableWithRoot(c, 0);
            auth(c, 0, root).userAdd(AuthUserAddRequest.newBuilder().setName("u").setPassword("p").build());
            String u = token(c, 0, "u", "p");
            denied(() -> auth(c, 0, u).authDisable(AuthDisableRequest.getDefaultInstance()));

            c.stopMember(0);
            c.startMember(0);
            c.awaitLeader(WAIT);
            fails(() -> kv(c, 0, null).range(get("k")), Status.Code.INVALID_ARGUMENT, "etcdserver: user name is empty");
            fails(() -> kv(c, 0, root).range(get("k")), Status.Code.UNAUTHENTICATED,
                    "etcdserver: invalid auth token"); // tokens live in memory only
            String again = token(c, 0, "root", "x");
            auth(c, 0, again).authDisable(AuthDisableRequest.getDefaultInstance());

            kv(c, 0, null).put(put("k", "v"));
            assertThat(auth(c, 0, null).authStatus(AuthStatusRequest.getDefaultInstance()).getEnabled()).isFalse();
            fails(() -> auth(c, 0, null).authenticate(AuthenticateRequest.newBuilder().setName("root")
                    .setPassword("x").build()), Status.Code.FAILED_PRECONDITION,
                    "etcdserver: authentication is not enabled");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Adds root with the root role, enables auth and returns a root token. */
    @Test
    void maintenanceButStatusAndAlarmIsRootOnlyWithEtcdsUnconvertedAuthErrors() {
        try (EtcdCluster c = EtcdCluster.start(dir, 1, LONG_TOKENS)) {
            int leader = c.awaitLeader(WAIT);
            String root = enableWithRoot(c, leader);
            auth(c, leader, root).userAdd(AuthUserAddRequest.newBuilder().setName("bob").setPassword("pw").build());
            String bob = token(c, leader, "bob", "pw");
            MaintenanceGrpc.MaintenanceBlockingStub anonymous =
                    withToken(MaintenanceGrpc.newBlockingStub(c.channel(leader)), null);
            MaintenanceGrpc.MaintenanceBlockingStub asBob =
                    withToken(MaintenanceGrpc.newBlockingStub(c.channel(leader)), bob);
            MaintenanceGrpc.MaintenanceBlockingStub asRoot =
                    withToken(MaintenanceGrpc.newBlockingStub(c.channel(leader)), root);
            DefragmentRequest defrag = DefragmentRequest.getDefaultInstance();

            fails(() -> anonymous.defragment(defrag), Status.Code.UNKNOWN, "auth: user name is empty");
            fails(() -> asBob.defragment(defrag), Status.Code.UNKNOWN, "auth: permission denied");
            fails(() -> asBob.hashKV(HashKVRequest.getDefaultInstance()),
                    Status.Code.UNKNOWN, "auth: permission denied");
            asRoot.defragment(defrag);
            asBob.status(StatusRequest.getDefaultInstance());
            asBob.alarm(AlarmRequest.newBuilder()
                    .setAction(AlarmRequest.AlarmAction.GET).build());
        }
    }

    private static String enableWithRoot(EtcdCluster c, int i) {
        AuthGrpc.AuthBlockingStub auth = auth(c, i, null);
        auth.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("x").build());
        auth.roleAdd(AuthRoleAddRequest.newBuilder().setName("root").build());
        auth.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
        auth.authEnable(AuthEnableRequest.getDefaultInstance());
        return token(c, i, "root", "x");
    }

    private static String token(EtcdCluster c, int i, String user, String password) {
        return auth(c, i, null).authenticate(AuthenticateRequest.newBuilder().setName(user).setPassword(password)
                .build()).getToken();
    }

    private static <S extends AbstractStub<S>> S withToken(S stub, String token) {
        S s = stub.withDeadlineAfter(10, TimeUnit.SECONDS);
        return token == null ? s : s.withInterceptors(tokenHeader(token));
    }

    private static ClientInterceptor tokenHeader(String token) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
        return MetadataUtils.newAttachHeadersInterceptor(md);
    }

    private static AuthGrpc.AuthBlockingStub auth(EtcdCluster c, int i, String token) {
        return withToken(AuthGrpc.newBlockingStub(c.channel(i)), token);
    }

    private static KVGrpc.KVBlockingStub kv(EtcdCluster c, int i, String token) {
        return withToken(KVGrpc.newBlockingStub(c.channel(i)), token);
    }

    private static WatchResponse firstWatchResponse(EtcdCluster c, int i, String token, String key) throws Exception {
        LinkedBlockingQueue<WatchResponse> got = new LinkedBlockingQueue<>();
        WatchGrpc.WatchStub stub = WatchGrpc.newStub(c.channel(i));
        StreamObserver<WatchRequest> requests = (token == null ? stub : stub.withInterceptors(tokenHeader(token)))
                .watch(new StreamObserver<>() {
                    @Override
                    public void onNext(WatchResponse r) {
                        got.add(r);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(bytes(key)))
                .build());
        WatchResponse r = got.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        requests.onCompleted();
        assertThat(r).as("a watch response").isNotNull();
        return r;
    }

    private static void denied(ThrowableAssert.ThrowingCallable call) {
        fails(call, Status.Code.PERMISSION_DENIED, "etcdserver: permission denied");
    }

    private static void fails(ThrowableAssert.ThrowingCallable call, Status.Code code,
                              String text) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).isEqualTo(text);
        });
    }

    private static RangeRequest get(String key) {
        return RangeRequest.newBuilder().setKey(bytes(key)).build();
    }

    private static PutRequest put(String key, String value) {
        return PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build();
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
