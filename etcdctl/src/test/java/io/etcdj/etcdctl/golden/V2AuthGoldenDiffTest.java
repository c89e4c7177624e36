package io.etcdj.etcdctl.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ETCDCTL_API=2 user, role and auth commands, and --username, with Debian's etcdctl 3.4.23 against
 * one reference etcd and with ours against another (both --enable-v2), command by command, so both
 * auth stores go through the same history. Output and exit codes must be identical; only the "stty"
 * complaints Go's password prompt writes when stdin is no terminal are masked.
 * (Our own server has no /v2/auth, so the reference etcd is the server here.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class V2AuthGoldenDiffTest {
    private static final List<ToolRun.Mask> STTY = List.of(new ToolRun.Mask("stty: [^\n]*\n", ""));

    private EtcdProcess forReference;
    private EtcdProcess forOurs;

    @BeforeAll
    void start() throws Exception {
        forReference = EtcdProcess.start("--enable-v2");
        forOurs = EtcdProcess.start("--enable-v2");
    }

    @AfterAll
    void stop() {
        if (forReference != null) {
            forReference.close();
        }
        if (forOurs != null) {
            forOurs.close();
        }
    }

    private static Map<String, String> env(EtcdProcess e) {
        return Map.of("ETCDCTL_API", "2", "ETCDCTL_ENDPOINTS", "http://" + e.endpoint());
    }

    private void same(String... args) throws Exception {
        sameWithInput("", args);
    }

    private void sameWithInput(String stdin, String... args) throws Exception {
        ToolRun ref = ToolRun.reference(List.of(args), env(forReference), stdin).masked(STTY);
        ToolRun ours = ToolRun.ours(List.of(args), env(forOurs), stdin).masked(STTY);
        assertThat(ours).as("ETCDCTL_API=2 etcdctl %s", String.join(" ", args)).isEqualTo(ref);
    }

    @Test
    void usersRolesAndEnablingAuthBehaveAsEtcdctls() throws Exception {
        same("user", "list");
        same("user", "add");
        same("user", "add", "root:rootpw");
        sameWithInput("bobpw\n", "user", "add", "bob");
        same("user", "list");
        same("user", "get", "bob");
        same("user", "get", "nobody");
        same("role", "list");
        same("role", "add", "r1");
        same("role", "add", "r1");
        same("role", "get", "r1");
        same("role", "grant", "r1", "--path", "/foo/*", "--readwrite");
        same("role", "grant", "r1", "--path", "/bar", "--read");
        same("role", "grant", "r1", "--path", "/bar", "--read");
        same("role", "grant", "r1", "--path", "bar/../x", "--read");
        same("role", "grant", "r1", "--path", "/x");
        same("role", "grant", "r1", "--path", "/x", "--read", "--write");
        same("role", "grant", "r1");
        same("role", "get", "r1");
        same("role", "revoke", "r1", "--path", "/bar", "--read");
        same("role", "revoke", "r1", "--path", "/nope", "--write");
        same("user", "grant", "bob", "--roles", "r1");
        same("user", "grant", "bob", "--roles", "nope");
        same("user", "grant", "bob");
        same("user", "get", "bob");
        same("user", "revoke", "bob", "--roles", "r1");
        same("user", "revoke", "bob", "--roles", "r1");
        same("role", "get", "nope");
        sameWithInput("newpw\n", "user", "passwd", "bob");
        same("auth", "enable", "extra");
        same("auth", "enable");
        same("user", "list");
        same("-u", "root:rootpw", "user", "list");
        same("-u", "root:wrong", "user", "list");
        same("-u", "bob:newpw", "role", "list");
        sameWithInput("rootpw\n", "-u", "root", "auth", "disable");
        same("user", "remove", "bob");
        same("user", "remove", "bob");
        same("role", "remove", "r1");
        same("role", "remove", "r1");
        same("role", "list", "x");
        same("user", "--help");
        same("role");
        for (String sub : List.of("user add", "user get", "user list", "user remove", "user grant", "user revoke",
                "user passwd", "role add", "role get", "role list", "role remove", "role grant", "role revoke",
                "auth enable", "auth disable")) {
            same((sub + " --help").split(" "));
        }
        same("role", "grant", "r1", "--bogus");
    }
}
