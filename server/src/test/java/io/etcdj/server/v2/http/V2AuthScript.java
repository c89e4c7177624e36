package io.etcdj.server.v2.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The v2 auth scenario the differential tests play on the reference etcd and on ours: users,
 * roles, enabling auth, then keys and membership requests with and without basic credentials
 * (right, wrong, unknown, malformed), a restricted and then a removed guest role, and disabling.
 */
final class V2AuthScript {
    /** Sends one request to both sides and asserts the answers are the same. */
    interface Comparison {
        void same(List<String> headers, String method, String target, String body, String contentType) throws Exception;
    }

    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String ROOT = "root:rootpw";
    private final Comparison comparison;

    V2AuthScript(Comparison comparison) {
        this.comparison = comparison;
    }

    void play() throws Exception {
        // before any user: status, enabling refused, empty lists, bad requests
        same(null, "GET", "/v2/auth/enable", null);
        same(null, "PUT", "/v2/auth/enable", null);
        same(null, "POST", "/v2/auth/enable", null);
        same(null, "GET", "/v2/auth/users", null);
        same(null, "GET", "/v2/auth/users/root", null);
        same(null, "GET", "/v2/auth/roles", null);
        same(null, "GET", "/v2/auth/roles/guest", null);
        same(null, "PUT", "/v2/auth/users/root", "{\"user\":\"root\"}");
        same(null, "PUT", "/v2/auth/users/root", "{\"user\":\"bob\",\"password\":\"x\"}");
        same(null, "PUT", "/v2/auth/users/root", "notjson");
        same(null, "PUT", "/v2/auth/users/root", "{\"user\":5}");
        // the root user (its first write creates /2, /2/users, /2/roles, /2/enabled: the etcd index shows it)
        same(null, "PUT", "/v2/auth/users/root", "{\"user\":\"root\",\"password\":\"rootpw\"}");
        same(null, "GET", "/v2/keys/");
        same(null, "PUT", "/v2/auth/users/root", "{\"user\":\"root\",\"password\":\"rootpw\"}");
        same(null, "PUT", "/v2/auth/users/root", "{\"user\":\"root\",\"roles\":[\"x\"],\"grant\":[\"y\"]}");
        same(null, "PUT", "/v2/auth/users/root", "{\"user\":\"root\",\"grant\":[\"root\"]}");
        same(null, "PUT", "/v2/auth/users/root", "{\"user\":\"root\",\"revoke\":[\"guest\"]}");
        same(null, "GET", "/v2/auth/users");
        same(null, "GET", "/v2/auth/users/root");
        // roles: full permissions, empty, grant/revoke, conflicts, the fixed root role
        same(null, "PUT", "/v2/auth/roles/foo",
                "{\"role\":\"foo\",\"permissions\":{\"kv\":{\"read\":[\"/foo/*\"],\"write\":[\"/foo/*\"]}}}");
        same(null, "PUT", "/v2/auth/roles/foo", "{\"role\":\"foo\"}");
        same(null, "PUT", "/v2/auth/roles/root", "{\"role\":\"root\"}");
        same(null, "PUT", "/v2/auth/roles/bar", "{\"role\":\"bar\"}");
        same(null, "GET", "/v2/auth/roles/bar");
        same(null, "PUT", "/v2/auth/roles/bar", "{\"role\":\"bar\",\"grant\":{\"kv\":{\"read\":[\"/bar\"]}}}");
        same(null, "PUT", "/v2/auth/roles/bar", "{\"role\":\"bar\",\"grant\":{\"kv\":{\"read\":[\"/bar\"]}}}");
        same(null, "PUT", "/v2/auth/roles/bar", "{\"role\":\"bar\",\"revoke\":{\"kv\":{\"read\":[\"/nope\"]}}}");
        same(null, "PUT", "/v2/auth/roles/bar",
                "{\"role\":\"bar\",\"permissions\":{\"kv\":{\"read\":[\"/a\"]}},\"revoke\":{\"kv\":{\"read\":[\"/bar\"]}}}");
        same(null, "PUT", "/v2/auth/roles/nope", "{\"role\":\"nope\",\"grant\":{\"kv\":{\"read\":[\"/bar\"]}}}");
        same(null, "PUT", "/v2/auth/roles/empty", "{\"role\":\"empty\",\"grant\":{}}");
        same(null, "GET", "/v2/auth/roles/empty");
        same(null, "GET", "/v2/auth/roles");
        same(null, "GET", "/v2/auth/roles/root");
        same(null, "GET", "/v2/auth/roles/nope");
        // users with roles, grants and revokes, a missing role
        same(null, "PUT", "/v2/auth/users/alice", "{\"user\":\"alice\",\"password\":\"alicepw\",\"roles\":[\"foo\"]}");
        same(null, "PUT", "/v2/auth/users/alice", "{\"user\":\"alice\",\"password\":\"alicepw\",\"roles\":[\"foo\"]}");
        same(null, "PUT", "/v2/auth/users/carol", "{\"user\":\"carol\",\"roles\":[\"foo\"]}");
        same(null, "PUT", "/v2/auth/users/dave", "{\"user\":\"dave\",\"password\":\"d\"}");
        same(null, "PUT", "/v2/auth/users/dave", "{\"user\":\"dave\"}");
        same(null, "GET", "/v2/auth/users/dave");
        same(null, "PUT", "/v2/auth/users/alice", "{\"user\":\"alice\",\"grant\":[\"foo\"]}");
        same(null, "PUT", "/v2/auth/users/alice", "{\"user\":\"alice\",\"revoke\":[\"zzz\"]}");
        same(null, "PUT", "/v2/auth/users/alice", "{\"user\":\"alice\",\"grant\":[\"nosuchrole\"]}");
        same(null, "PUT", "/v2/auth/users/nobody", "{\"user\":\"nobody\",\"grant\":[\"foo\"]}");
        same(null, "GET", "/v2/auth/users/alice");
        same(null, "GET", "/v2/auth/users");
        same(null, "GET", "/v2/auth/users/a/b");
        same(null, "POST", "/v2/auth/users/alice", null);
        same(null, "HEAD", "/v2/auth/users");
        // enable: from now on administration needs root, keys need a role (or the guest role)
        same(null, "PUT", "/v2/auth/enable", null);
        same(ROOT, "PUT", "/v2/auth/enable", null);
        same(null, "GET", "/v2/auth/enable");
        same(null, "GET", "/v2/auth/users");
        same("root:wrong", "GET", "/v2/auth/users");
        same("alice:alicepw", "GET", "/v2/auth/users");
        same(ROOT, "GET", "/v2/auth/users");
        same(ROOT, "GET", "/v2/auth/roles/guest");
        keys(null, "PUT", "/v2/keys/foo/a", "value=1");
        keys("alice:alicepw", "PUT", "/v2/keys/foo/a", "value=1");
        keys("alice:wrong", "PUT", "/v2/keys/foo/b", "value=2");
        keys("alice:alicepw", "PUT", "/v2/keys/other", "value=2");
        keys("nobody:x", "PUT", "/v2/keys/foo/b", "value=2");
        keys("alice:alicepw", "GET", "/v2/keys/foo/a", null);
        keys("alice:alicepw", "GET", "/v2/keys/foo?recursive=true", null);
        keys("alice:alicepw", "GET", "/v2/keys/foo/?recursive=true", null);
        keys("alice:alicepw", "GET", "/v2/keys/foo/a?ttl=x", null);
        sameRaw(List.of("Authorization: Bearer zzz"), "PUT", "/v2/keys/foo/b", "value=2", FORM);
        sameRaw(List.of("Authorization: Basic !!!"), "GET", "/v2/keys/foo/a", null, null);
        // a restricted guest role
        same(ROOT, "PUT", "/v2/auth/roles/guest", "{\"role\":\"guest\",\"revoke\":{\"kv\":{\"write\":[\"/*\"]}}}");
        keys(null, "PUT", "/v2/keys/g", "value=1");
        keys(null, "GET", "/v2/keys/foo/a", null);
        same(ROOT, "PUT", "/v2/auth/roles/guest", "{\"role\":\"guest\",\"revoke\":{\"kv\":{\"read\":[\"/*\"]}}}");
        keys(null, "GET", "/v2/keys/foo/a", null);
        same(ROOT, "DELETE", "/v2/auth/roles/guest", null);
        same(ROOT, "DELETE", "/v2/auth/roles/root", null);
        same(ROOT, "DELETE", "/v2/auth/users/root", null);
        same(ROOT, "DELETE", "/v2/auth/users/carol", null);
        same(ROOT, "PUT", "/v2/auth/users/alice", "{\"user\":\"alice\",\"password\":\"newpw\"}");
        keys("alice:newpw", "PUT", "/v2/keys/foo/a", "value=3");
        // membership: reads open, changes need root
        same(null, "GET", "/v2/members");
        sameRaw(List.of(), "POST", "/v2/members", "{\"peerURLs\":[\"http://127.0.0.1:1\"]}", JSON);
        // disable
        same(null, "DELETE", "/v2/auth/enable", null);
        same("alice:newpw", "DELETE", "/v2/auth/enable", null);
        same(ROOT, "DELETE", "/v2/auth/enable", null);
        same(null, "DELETE", "/v2/auth/enable", null);
        keys(null, "GET", "/v2/keys/foo/a", null);
        same(null, "DELETE", "/v2/auth/users/alice", null);
        same(null, "DELETE", "/v2/auth/roles/bar", null);
        same(null, "DELETE", "/v2/auth/roles/bar", null);
        same(null, "GET", "/v2/auth/roles");
        // the records stay out of the keys API
        keys(null, "GET", "/v2/keys/2?recursive=true", null);
        keys(null, "GET", "/v2/keys/?recursive=true", null);
        edgeCases();
    }

    /** Paths beside the API, Go's JSON decoding quirks, null versus empty lists, hidden names. */
    private void edgeCases() throws Exception {
        for (String path : List.of("/v2/auth/enable/", "/v2/auth", "/v2/auth/", "/v2/auth/nothing", "/v2/auth/users/",
                "/v2/auth/roles/a%2Fb", "/v2/auth/users/dave?x=%zz", "/v2/auth/roles?x=%zz", "/v2/auth/users/nobody?x=%zz")) {
            same(null, "GET", path);
        }
        same(null, "HEAD", "/v2/auth/users/dave");
        same(null, "PUT", "/v2/auth/users/x", "");
        same(null, "PUT", "/v2/auth/users/x", "{\"user\":\"x\",\"password\":\"p\",\"roles\":null,\"grant\":[]}");
        same(null, "PUT", "/v2/auth/users/_h", "{\"user\":\"_h\",\"password\":\"p\"}");
        same(null, "GET", "/v2/auth/users");
        same(null, "PUT", "/v2/auth/users/y", "{\"user\":\"y\",\"password\":\"p\",\"roles\":[]}");
        same(null, "PUT", "/v2/auth/users/y", "{\"USER\":\"y\"}");
        same(null, "PUT", "/v2/auth/users/x", "{\"user\":\"x\",\"password\":\"p\"} garbage");
        same(null, "PUT", "/v2/auth/users/x", "[1]");
        same(null, "PUT", "/v2/auth/users/x", "null");
        same(null, "PUT", "/v2/auth/roles/r", "{\"role\":\"r\",\"permissions\":{\"kv\":{\"read\":[\"/a\",\"/a\"]}}}");
        same(null, "PUT", "/v2/auth/roles/r", "{\"role\":\"r\",\"revoke\":{\"kv\":{\"write\":[\"/x\"]}}}");
        same(null, "PUT", "/v2/auth/roles/r", "{\"role\":\"r\",\"grant\":{\"kv\":{\"write\":[\"/x\",\"/x\"]}}}");
        same(null, "PUT", "/v2/auth/roles/r", "{\"role\":\"r\",\"permissions\":null,\"grant\":{\"kv\":{\"read\":[\"<&>\"]}}}");
        same(null, "GET", "/v2/auth/roles");
    }

    private void same(String credentials, String method, String target) throws Exception {
        same(credentials, method, target, null);
    }

    private void same(String credentials, String method, String target, String json) throws Exception {
        sameRaw(auth(credentials), method, target, json, json == null ? null : JSON);
    }

    private void keys(String credentials, String method, String target, String form) throws Exception {
        sameRaw(auth(credentials), method, target, form, form == null ? null : FORM);
    }

    private void sameRaw(List<String> headers, String method, String target, String body, String type)
            throws Exception {
        comparison.same(headers, method, target, body, type);
    }

    private static List<String> auth(String credentials) {
        if (credentials == null) {
            return List.of();
        }
        return List.of("Authorization: Basic "
                + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
}
