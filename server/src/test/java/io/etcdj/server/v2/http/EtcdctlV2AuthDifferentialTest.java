package io.etcdj.server.v2.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's etcdctl in v2 mode driving users, roles and auth enable/disable against the reference
 * etcd and against our handlers: exit code and output must be the same. Passwords go to
 * etcdctl's prompt on stdin (it complains that stdin is no terminal: those stty lines are dropped).
 */
class EtcdctlV2AuthDifferentialTest {
    private static ReferenceEtcd ref;
    private static OurV2Server ours;

    @BeforeAll
    static void start() throws Exception {
        ReferenceEtcd.etcdctl();
        ref = new ReferenceEtcd();
        ours = new OurV2Server();
    }

    @AfterAll
    static void stop() {
        if (ref != null) {
            ref.close();
        }
        if (ours != null) {
            ours.close();
        }
    }

    @Test
    void userRoleAndAuthCommandsBehaveTheSame() throws Exception {
        same("auth", "enable");
        same("user", "list");
        same("role", "list");
        withPassword("rootpw", "user", "add", "root");
        withPassword("rootpw", "user", "add", "root");
        withPassword("alicepw", "user", "add", "alice");
        same("user", "get", "alice");
        same("user", "get", "nobody");
        same("role", "add", "foo");
        same("role", "add", "foo");
        same("role", "add", "root");
        same("role", "grant", "foo", "--path", "/foo/*", "--readwrite");
        same("role", "grant", "foo", "--path", "/foo/*", "--read");
        same("role", "grant", "foo", "--path", "/bar", "--write");
        same("role", "get", "foo");
        same("role", "get", "nope");
        same("role", "revoke", "foo", "--path", "/bar", "--write");
        same("role", "revoke", "foo", "--path", "/zzz", "--write");
        same("user", "grant", "--roles", "foo", "alice");
        same("user", "grant", "--roles", "foo", "alice");
        same("user", "revoke", "--roles", "nope", "alice");
        same("user", "get", "alice");
        same("user", "list");
        same("role", "list");
        same("auth", "enable");
        same("auth", "enable");
        same("set", "/foo/a", "1");
        same("--username", "alice:alicepw", "set", "/foo/a", "1");
        same("--username", "alice:wrong", "set", "/foo/a", "2");
        same("--username", "alice:alicepw", "set", "/other", "2");
        same("--username", "alice:alicepw", "get", "/foo/a");
        same("user", "list");
        same("--username", "root:rootpw", "user", "list");
        same("--username", "root:rootpw", "role", "revoke", "guest", "--path", "/*", "--write");
        same("set", "/g", "1");
        same("get", "/foo/a");
        same("--username", "root:rootpw", "role", "remove", "guest");
        same("--username", "root:rootpw", "role", "remove", "root");
        same("--username", "root:rootpw", "user", "remove", "root");
        withPassword("newpw", "--username", "root:rootpw", "user", "passwd", "alice");
        same("--username", "alice:newpw", "get", "/foo/a");
        same("--username", "root:rootpw", "user", "revoke", "--roles", "foo", "alice");
        same("--username", "root:rootpw", "user", "get", "alice");
        same("--username", "root:rootpw", "user", "remove", "alice");
        same("--username", "root:rootpw", "role", "remove", "foo");
        same("auth", "disable");
        same("--username", "root:rootpw", "auth", "disable");
        same("auth", "disable");
        same("user", "list");
        same("role", "list");
    }

    private void same(String... args) throws Exception {
        withPassword(null, args);
    }

    /** Runs the command on both sides with {@code password} (or nothing) on stdin. */
    private void withPassword(String password, String... args) throws Exception {
        String a = run(ref.clientUrl(), password, List.of(args)).replace(ref.clientUrl(), "<CLIENT>");
        String b = run(ours.clientUrl(), password, List.of(args)).replace(ours.clientUrl(), "<CLIENT>");
        assertThat(b).as("etcdctl " + String.join(" ", args)).isEqualTo(a);
    }

    private static String run(String endpoint, String password, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ReferenceEtcd.etcdctl(), "--endpoints", endpoint));
        cmd.addAll(args);
        File in = File.createTempFile("etcdctl", ".in");
        File out = File.createTempFile("etcdctl", ".out");
        try {
            Files.writeString(in.toPath(), password == null ? "" : password + "\n", StandardCharsets.UTF_8);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(in).redirectOutput(out);
            pb.environment().put("ETCDCTL_API", "2");
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("etcdctl " + args + " against " + endpoint + " did not finish");
            }
            StringBuilder s = new StringBuilder("exit ").append(p.exitValue()).append('\n');
            for (String line : Files.readAllLines(out.toPath(), StandardCharsets.UTF_8)) {
                if (!line.startsWith("stty:")) {
                    s.append(line).append('\n');
                }
            }
            return s.toString();
        } finally {
            in.delete();
            out.delete();
        }
    }
}
