package io.etcdj.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.authpb.Permission;
import io.etcdj.api.authpb.Permission.Type;
import io.etcdj.server.EtcdError;
import io.etcdj.server.EtcdException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The auth store's transitions and checks, with etcd's errors, step by step. */
class AuthStateTest {
    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static void fails(ThrowingCallable op, EtcdError error) {
        assertThatThrownBy(op).isInstanceOfSatisfying(EtcdException.class, e -> assertThat(e.is(error))
                .as("%s is %s", e.getMessage(), error).isTrue());
    }

    private static AuthState rootReady() {
        return AuthState.EMPTY.userAdd("root", "hash", false).roleAdd("root").userGrantRole("root", "root");
    }

    @Test
    void enablingNeedsARootUserHoldingTheRootRole() {
        fails(AuthState.EMPTY::enable, EtcdError.ROOT_USER_NOT_EXIST);
        AuthState withRoot = AuthState.EMPTY.userAdd("root", "hash", false);
        fails(withRoot::enable, EtcdError.ROOT_ROLE_NOT_EXIST);
        AuthState enabled = rootReady().enable();
        assertThat(enabled.enabled()).isTrue();
        assertThat(enabled.revision()).isEqualTo(rootReady().revision() + 1);
        assertThat(enabled.enable()).as("enabling twice is ignored").isSameAs(enabled);
        assertThat(enabled.disable().enabled()).isFalse();
        assertThat(AuthState.EMPTY.disable()).isSameAs(AuthState.EMPTY);
    }

    @Test
    void everyChangeBumpsTheRevisionAndIgnoredOnesDoNot() {
        AuthState s = AuthState.EMPTY.userAdd("u", "h", false);
        assertThat(s.revision()).isEqualTo(1);
        s = s.roleAdd("r").userGrantRole("u", "r");
        assertThat(s.revision()).isEqualTo(3);
        assertThat(s.userGrantRole("u", "r")).as("granted twice: ignored").isSameAs(s);
    }

    @Test
    void userAndRoleErrorsAreEtcds() {
        AuthState s = rootReady();
        fails(() -> s.userAdd("", "h", false), EtcdError.USER_EMPTY);
        fails(() -> s.userAdd("root", "h", false), EtcdError.USER_ALREADY_EXIST);
        fails(() -> s.userDelete("nobody"), EtcdError.USER_NOT_FOUND);
        fails(() -> s.userChangePassword("nobody", "h"), EtcdError.USER_NOT_FOUND);
        fails(() -> s.userGrantRole("root", "nope"), EtcdError.ROLE_NOT_FOUND);
        fails(() -> s.userRevokeRole("root", "nope"), EtcdError.ROLE_NOT_GRANTED);
        fails(() -> s.roleAdd(""), EtcdError.ROLE_EMPTY);
        fails(() -> s.roleAdd("root"), EtcdError.ROLE_ALREADY_EXIST);
        fails(() -> s.roleDelete("nope"), EtcdError.ROLE_NOT_FOUND);
        fails(() -> s.roleRevokePermission("root", b("k"), ByteString.EMPTY), EtcdError.PERMISSION_NOT_GRANTED);
        AuthState enabled = s.enable();
        fails(() -> enabled.userDelete("root"), EtcdError.INVALID_AUTH_MGMT);
        fails(() -> enabled.roleDelete("root"), EtcdError.INVALID_AUTH_MGMT);
        fails(() -> enabled.userRevokeRole("root", "root"), EtcdError.INVALID_AUTH_MGMT);
    }

    @Test
    void permissionsStaySortedByKeyAndRegrantingChangesTheType() {
        AuthState s = AuthState.EMPTY.roleAdd("r")
                .roleGrantPermission("r", perm(Type.READ, "/pre/", "/pre0"))
                .roleGrantPermission("r", perm(Type.WRITE, "/one", ""))
                .roleGrantPermission("r", perm(Type.READ, "/one", ""));
        assertThat(s.role("r").getKeyPermissionList()).extracting(p -> p.getKey().toStringUtf8() + " " + p.getPermType())
                .containsExactly("/one READ", "/pre/ READ");
        AuthState revoked = s.roleRevokePermission("r", b("/one"), ByteString.EMPTY);
        assertThat(revoked.role("r").getKeyPermissionCount()).isEqualTo(1);
    }

    @Test
    void deletingARoleRevokesItFromItsUsers() {
        AuthState s = AuthState.EMPTY.userAdd("u", "h", false).roleAdd("a").roleAdd("b")
                .userGrantRole("u", "b").userGrantRole("u", "a");
        assertThat(s.user("u").getRolesList()).containsExactly("a", "b");
        assertThat(s.roleDelete("a").user("u").getRolesList()).containsExactly("b");
    }

    @Test
    void aReaderOfAPrefixMayReadButNotWriteAndStaleCallersAreRefused() {
        AuthState s = rootReady().userAdd("u", "h", false).roleAdd("r")
                .roleGrantPermission("r", perm(Type.READ, "/pre/", "/pre0")).userGrantRole("u", "r").enable();
        Caller u = new Caller("u", s.revision());
        s.checkKey(u, Type.READ, b("/pre/a"), ByteString.EMPTY);
        fails(() -> s.checkKey(u, Type.WRITE, b("/pre/a"), ByteString.EMPTY), EtcdError.PERMISSION_DENIED);
        fails(() -> s.checkKey(u, Type.READ, b("/other"), ByteString.EMPTY), EtcdError.PERMISSION_DENIED);
        fails(() -> s.checkKey(Caller.ANONYMOUS, Type.READ, b("/pre/a"), ByteString.EMPTY), EtcdError.USER_EMPTY);
        AuthState later = s.roleAdd("x");
        fails(() -> later.checkKey(u, Type.READ, b("/pre/a"), ByteString.EMPTY), EtcdError.AUTH_OLD_REVISION);
        Caller root = new Caller("root", s.revision());
        s.checkKey(root, Type.WRITE, b("/anything"), b("\0"));
        s.checkAdmin(root);
        fails(() -> s.checkAdmin(u), EtcdError.PERMISSION_DENIED);
        fails(() -> s.checkAdmin(Caller.ANONYMOUS), EtcdError.USER_EMPTY);
        s.checkAdmin(Caller.TRUSTED);
        AuthState revoked = s.roleRevokePermission("r", b("/pre/"), b("/pre0"));
        fails(() -> revoked.checkKey(new Caller("u", revoked.revision()), Type.READ, b("/pre/a"), ByteString.EMPTY),
                EtcdError.PERMISSION_DENIED); // a new state never sees the old one's cached permissions
        s.checkKey(u, Type.READ, b("/pre/a"), ByteString.EMPTY);
        AuthState disabled = s.disable();
        disabled.checkKey(Caller.ANONYMOUS, Type.WRITE, b("/pre/a"), ByteString.EMPTY);
        disabled.checkAdmin(Caller.ANONYMOUS);
    }

    private static Permission perm(Type t, String key, String end) {
        return Permission.newBuilder().setPermType(t).setKey(b(key)).setRangeEnd(b(end)).build();
    }
}
