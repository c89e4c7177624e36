package io.etcdj.server.v2.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Pattern matching and grant/revoke of v2 role permissions, as etcd 3.4 evaluates them. */
class V2PermissionsTest {
    private final V2Permissions foo = new V2Permissions(List.of("/foo/*", "/exact"), List.of("/pub*"));

    @Test
    void aStarPatternIsAPrefixAnyOtherPatternOneKey() {
        assertThat(foo.hasAccess("/foo/a/b", false)).isTrue();
        assertThat(foo.hasAccess("/foo/", false)).isTrue();
        assertThat(foo.hasAccess("/foo", false)).isFalse(); // "/foo/*" does not cover the directory itself
        assertThat(foo.hasAccess("/exact", false)).isTrue();
        assertThat(foo.hasAccess("/exact/child", false)).isFalse();
        assertThat(foo.hasAccess("/publishing", true)).isTrue(); // "/pub*" is a plain string prefix
        assertThat(foo.hasAccess("/foo/a", true)).isFalse(); // read patterns never grant writes
    }

    @Test
    void recursiveRequestsNeedAPrefixPattern() {
        assertThat(foo.hasRecursiveAccess("/foo/", false)).isTrue();
        assertThat(foo.hasRecursiveAccess("/foo", false)).isFalse();
        assertThat(foo.hasRecursiveAccess("/exact", false)).isFalse();
    }

    @Test
    void grantingSortsAndRefusesDuplicatesRevokingIgnoresWhatIsNotHeld() {
        V2Permissions none = V2Permissions.NONE;
        V2Permissions granted = none.grant(new V2Permissions(List.of("/b", "/a"), null));
        assertThat(granted).isEqualTo(new V2Permissions(List.of("/a", "/b"), List.of()));
        assertThatThrownBy(() -> granted.grant(new V2Permissions(List.of("/a"), null)))
                .isInstanceOfSatisfying(V2AuthError.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.getMessage()).isEqualTo("auth: Granting duplicate read permission /a");
                });
        assertThat(granted.revoke(new V2Permissions(List.of("/zzz"), null))).isEqualTo(granted);
        // etcd tells a role created without permissions (null lists) from one emptied by a revoke
        assertThat(none.revoke(new V2Permissions(List.of("/zzz"), null))).isNotEqualTo(none);
        assertThat(V2Permissions.isEmpty(new V2Permissions(List.of(), null))).isTrue();
    }

    @Test
    void theRootRoleMayDoAnythingAndIsShownWithEverything() throws Exception {
        assertThat(V2Role.ROOT_ROLE.hasRecursiveAccess("", true)).isTrue();
        assertThat(V2AuthJson.role(V2Role.ROOT_ROLE))
                .isEqualTo("{\"role\":\"root\",\"permissions\":{\"kv\":{\"read\":[\"/*\"],\"write\":[\"/*\"]}}}");
        V2Role read = V2AuthJson.readRole("{\"ROLE\":\"r\",\"grant\":{},\"extra\":1} trailing");
        assertThat(read.name()).isEqualTo("r");
        assertThat(V2AuthJson.role(read))
                .isEqualTo("{\"role\":\"r\",\"permissions\":{\"kv\":{\"read\":null,\"write\":null}},"
                        + "\"grant\":{\"kv\":{\"read\":null,\"write\":null}}}");
        assertThatThrownBy(() -> V2AuthJson.readUser("{\"user\":\"u\",\"roles\":\"notalist\"}"))
                .isInstanceOf(V2AuthJson.Malformed.class);
    }

    @Test
    void aUserShowsNeitherPasswordNorHash() throws Exception {
        V2User u = new V2User("u", "$2a$10$hash", List.of("b", "a"), null, null);
        assertThat(u.toString()).doesNotContain("hash");
        assertThat(V2AuthJson.user(u.withoutPassword())).isEqualTo("{\"user\":\"u\",\"roles\":[\"b\",\"a\"]}");
        assertThat(u.merge(new V2User("u", "", null, List.of("c"), null), null).roles()).containsExactly("a", "b", "c");
    }
}
