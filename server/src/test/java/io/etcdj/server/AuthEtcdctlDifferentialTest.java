package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.auth.AuthSettings;
import io.etcdj.testsupport.ReferenceEtcd;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs Debian's etcdctl 3.4.23 user/role/auth commands, and reads and writes as users, against the
 * reference etcd and against our member, one command at a time from the same state, and requires
 * the same exit code and output (stdout and stderr; clientv3's log timestamps and client IDs
 * masked). Fails (never skips) when the reference binaries are missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthEtcdctlDifferentialTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path dir;
    private ReferenceEtcd reference;
    private String referenceEndpoint;
    private EtcdCluster ours;
    private String ourEndpoint;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("etcdj-auth-diff");
        reference = ReferenceEtcd.builder().dir(dir).dataDir(dir.resolve("ref")).start();
        referenceEndpoint = reference.endpoint();
        ours = EtcdCluster.start(dir.resolve("ours"), 1, new AuthSettings(4, Duration.ofSeconds(300)));
        ours.awaitLeader(WAIT);
        ourEndpoint = ours.member(0).settings().listenClientUrls().get(0).replace("http://", "");
        EtcdCluster.awaitCondition(WAIT, "the reference etcd to serve", () -> {
            try {
                return run(referenceEndpoint, List.of("endpoint", "health")).startsWith("exit 0");
            } catch (Exception e) {
                return false;
            }
        });
    }

    @AfterAll
    void stop() throws Exception {
        if (ours != null) {
            ours.close();
        }
        if (reference != null) {
            reference.close();
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void usersRolesPermissionsAndEnablingBehaveAsEtcds() throws Exception {
        same("auth", "enable"); // no root user yet
        same("user", "add", "root", "--new-user-password=x");
        same("user", "add", "root", "--new-user-password=y");
        same("user", "get", "nobody");
        same("role", "add", "r1");
        same("role", "add", "r1");
        same("role", "grant-permission", "--prefix", "r1", "read", "/pre/");
        same("role", "grant-permission", "r1", "readwrite", "/one");
        same("role", "grant-permission", "r1", "write", "/w", "/x");
        same("role", "grant-permission", "r1", "read", "/open", "--from-key");
        same("role", "grant-permission", "--prefix", "r1", "readwrite", "/locks/");
        same("role", "get", "r1");
        same("role", "get", "nope");
        same("role", "revoke-permission", "r1", "/nothing");
        same("user", "add", "u1", "--new-user-password=p");
        same("user", "grant-role", "u1", "r1");
        same("user", "grant-role", "u1", "r1");
        same("user", "grant-role", "u1", "nope");
        same("user", "revoke-role", "u1", "nope");
        same("user", "get", "u1");
        same("user", "list");
        same("role", "list");
        same("auth", "enable"); // etcdctl adds the root role and grants it to root first

        same("get", "foo");
        same("--user", "root:x", "put", "/pre/a", "v");
        same("--user", "u1:p", "get", "/pre/a");
        same("--user", "u1:p", "get", "/pre/", "--prefix");
        same("--user", "u1:p", "put", "/pre/a", "w");
        same("--user", "u1:p", "get", "/abc"); // below every permission of r1
        same("--user", "u1:p", "get", "/", "--prefix");
        same("--user", "u1:p", "get", "/other"); // inside [/open, <open ended>
        same("--user", "u1:p", "put", "/one", "1");
        same("--user", "u1:p", "del", "/one", "--prev-kv");
        same("--user", "u1:p", "get", "/openx");
        same("--user", "u1:p", "watch", "/abc"); // canceled by the server at once
        same("--user", "u1:p", "lock", "/abc", "echo", "held"); // the lock's key needs WRITE
        same("--user", "u1:p", "lock", "/one", "echo", "held"); // /one/<lease> is outside the key /one
        same("--user", "u1:p", "lock", "/locks/l1", "echo", "held");
        same("--user", "u1:p", "elect", "/abc", "p1");
        same("watch", "/pre/a");
        same("--user", "u1:bad", "get", "/pre/a");
        same("--user", "nobody:x", "get", "/pre/a");
        same("--user", "u1:p", "user", "list");
        same("--user", "u1:p", "user", "get", "u1");
        same("--user", "u1:p", "user", "get", "root");
        same("--user", "u1:p", "role", "get", "r1");
        same("--user", "u1:p", "role", "get", "root");
        same("--user", "u1:p", "member", "add", "x", "--peer-urls=http://127.0.0.1:1");
        same("--user", "root:x", "user", "delete", "root");
        same("--user", "root:x", "role", "delete", "root");
        same("--user", "root:x", "user", "revoke-role", "root", "root");
        same("--user", "root:x", "role", "get", "root");
        same("--user", "root:x", "user", "get", "root");
        same("--user", "u1:p", "auth", "disable");
        same("--user", "root:x", "auth", "disable");

        same("auth", "disable");
        same("get", "/pre/a");
        same("role", "delete", "r1");
        same("user", "get", "u1");
        same("user", "delete", "u1");
        same("user", "delete", "u1");
    }

    private void same(String... args) throws Exception {
        String expected = mask(run(referenceEndpoint, List.of(args)), referenceEndpoint);
        String actual = mask(run(ourEndpoint, List.of(args)), ourEndpoint);
        assertThat(actual).as("etcdctl " + String.join(" ", args)).isEqualTo(expected);
    }

    private static String mask(String out, String endpoint) {
        return out.replace(endpoint, "<ENDPOINT>")
                .replaceAll("\"ts\":\"[^\"]*\"", "\"ts\":TS")
                .replaceAll("client-[0-9a-f-]{36}", "client-UUID");
    }

    private static String run(String endpoint, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ReferenceEtcd.etcdctl().toString());
        cmd.add("--endpoints=" + endpoint);
        cmd.addAll(args);
        File out = File.createTempFile("etcdctl", ".out");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out);
            pb.environment().put("ETCDCTL_API", "3");
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("etcdctl " + args + " against " + endpoint + " did not finish: "
                        + Files.readString(out.toPath()));
            }
            return "exit " + p.exitValue() + "\n" + Files.readString(out.toPath());
        } finally {
            out.delete();
        }
    }
}
