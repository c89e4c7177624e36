package io.etcdj.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.authpb.Permission;
import io.etcdj.api.authpb.Permission.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which keys and ranges a set of granted permissions covers, as etcd's permission cache decides. */
class AuthKeyPermissionsTest {
    private static final String OPEN = "\0";

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static Permission perm(Type t, String key, String end) {
        return Permission.newBuilder().setPermType(t).setKey(b(key)).setRangeEnd(b(end)).build();
    }

    private static boolean permits(List<Permission> perms, Type t, String key, String end) {
        return KeyPermissions.of(perms, t).permits(b(key), b(end));
    }

    @Test
    void aSingleKeyPermissionCoversThatKeyOnly() {
        List<Permission> p = List.of(perm(Type.READ, "/a", ""));
        assertThat(permits(p, Type.READ, "/a", "")).isTrue();
        assertThat(permits(p, Type.READ, "/ab", "")).isFalse();
        assertThat(permits(p, Type.READ, "/a", "/a\0")).as("the range holding just /a").isTrue();
        assertThat(permits(p, Type.READ, "/a", "/b")).isFalse();
        assertThat(permits(p, Type.WRITE, "/a", "")).as("READ grants no WRITE").isFalse();
    }

    @Test
    void aPrefixPermissionCoversKeysAndSubRangesInsideIt() {
        List<Permission> p = List.of(perm(Type.READ, "/pre/", "/pre0")); // etcdctl --prefix /pre/
        assertThat(permits(p, Type.READ, "/pre/x", "")).isTrue();
        assertThat(permits(p, Type.READ, "/pre/", "/pre0")).isTrue();
        assertThat(permits(p, Type.READ, "/pre/a", "/pre/b")).isTrue();
        assertThat(permits(p, Type.READ, "/pre0", "")).as("range end excluded").isFalse();
        assertThat(permits(p, Type.READ, "/pre", "/pre0")).as("starts before the prefix").isFalse();
        assertThat(permits(p, Type.READ, "/pre/", OPEN)).as("open-ended goes beyond").isFalse();
    }

    @Test
    void anOpenEndedPermissionCoversEverythingFromItsKey() {
        List<Permission> p = List.of(perm(Type.WRITE, "/open", OPEN));
        assertThat(permits(p, Type.WRITE, "/open", "")).isTrue();
        assertThat(permits(p, Type.WRITE, "\u00ff\u00ff", "")).isTrue();
        assertThat(permits(p, Type.WRITE, "/open", OPEN)).isTrue();
        assertThat(permits(p, Type.WRITE, "/opem", OPEN)).isFalse();
        assertThat(permits(p, Type.WRITE, "/a", "")).isFalse();
    }

    @Test
    void adjacentAndOverlappingPermissionsTogetherCoverARange() {
        List<Permission> p = List.of(perm(Type.READ, "a", "c"), perm(Type.READWRITE, "b", "e"),
                perm(Type.READ, "e", ""));
        assertThat(permits(p, Type.READ, "a", "e")).isTrue();
        assertThat(permits(p, Type.READ, "a", "e\0")).as("the single key e closes the range").isTrue();
        assertThat(permits(p, Type.READ, "a", "f")).as("gap after e").isFalse();
        assertThat(permits(p, Type.WRITE, "b", "e")).isTrue();
        assertThat(permits(p, Type.WRITE, "a", "c")).isFalse();
    }

    @Test
    void readWriteCountsForBothAndNothingGrantedPermitsNothing() {
        List<Permission> p = List.of(perm(Type.READWRITE, "k", ""));
        assertThat(permits(p, Type.READ, "k", "")).isTrue();
        assertThat(permits(p, Type.WRITE, "k", "")).isTrue();
        assertThat(permits(List.of(), Type.READ, "k", "")).isFalse();
        assertThat(permits(List.of(), Type.READ, "", OPEN)).isFalse();
    }

    @Test
    void everyKeyIsTheRangeFromTheEmptyKeyOpenEnded() {
        List<Permission> all = List.of(perm(Type.READ, "", OPEN));
        assertThat(permits(all, Type.READ, "", OPEN)).isTrue();
        assertThat(permits(all, Type.READ, "\0", OPEN)).isTrue();
        assertThat(permits(List.of(perm(Type.READ, "\0", OPEN)), Type.READ, "\0", OPEN)).isTrue();
    }
}
