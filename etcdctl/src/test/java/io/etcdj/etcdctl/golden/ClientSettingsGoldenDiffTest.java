package io.etcdj.etcdctl.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The global client settings etcdctl checks or acts on before its first request — TLS files,
 * --user against a cluster with auth off, password prompts, timeouts that have passed already —
 * give Debian's etcdctl 3.4.23 and ours the same stdout, stderr and exit code on one reference etcd.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientSettingsGoldenDiffTest {
    /** Go's password prompt runs stty, which complains on a stdin that is no terminal. */
    private static final ToolRun.Mask STTY = new ToolRun.Mask("stty: [^\n]*\n", "");

    @AutoClose
    private EtcdProcess etcd;

    @TempDir
    Path dir;

    @BeforeAll
    void startReference() throws Exception {
        etcd = EtcdProcess.start();
    }

    /** The grpc-go log lines --debug also turns on in Debian's etcdctl (ours has no grpc-go to log). */
    private static final ToolRun.Mask GRPC_GO_LOG = new ToolRun.Mask(
            "(?m)^(INFO|WARNING|ERROR): \\d{4}/\\d{2}/\\d{2} [^\n]*\n", "");

    private void same(String stdin, String... args) throws Exception {
        List<ToolRun.Mask> masks = new ArrayList<>(GoldenDiffTest.ALWAYS);
        masks.add(STTY);
        masks.add(GRPC_GO_LOG);
        Map<String, String> env = Map.of("ETCDCTL_ENDPOINTS", etcd.endpoint());
        ToolRun ref = ToolRun.reference(List.of(args), env, stdin).masked(masks);
        ToolRun ours = ToolRun.ours(List.of(args), env, stdin).masked(masks);
        assertThat(ours).as("etcdctl %s", String.join(" ", args)).isEqualTo(ref);
    }

    private String file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII).toString();
    }

    private static String pem(String type) {
        return "-----BEGIN " + type + "-----\nAAAA\n-----END " + type + "-----\n";
    }

    @Test
    void tlsFilesAreCheckedBeforeDialling() throws Exception {
        String text = file("text", "no pem here\n");
        String key = file("key.pem", pem("RSA PRIVATE KEY"));
        String cert = file("cert.pem", pem("CERTIFICATE"));
        String other = file("other.pem", pem("PUBLIC KEY") + pem("X509 CRL"));
        String missing = dir.resolve("missing").toString();
        same("", "--cert", missing, "get", "a");
        same("", "--key", missing, "get", "a");
        same("", "--cacert", missing, "get", "a");
        same("", "--cacert", dir.toString(), "get", "a");
        same("", "--cert", missing, "--key", text, "get", "a");
        same("", "--cert", text, "--key", missing, "get", "a");
        same("", "--cert", text, "--key", text, "get", "a");
        same("", "--cert", key, "--key", cert, "get", "a");
        same("", "--cert", other, "--key", key, "get", "a");
        same("", "--cert", cert, "--key", cert, "get", "a");
        same("", "--cert", cert, "--key", other, "get", "a");
        same("", "--cert", cert, "--key", text, "--cacert", missing, "get", "a");
    }

    @Test
    void aUserIsIgnoredWhileAuthIsOff() throws Exception {
        same("", "--user", "root:pw", "get", "a");
        same("pw\n", "--user", "root", "get", "a");
        same("", "--user", "root", "get", "a");
        // each direct dial of an endpoint asks for a token again, over the client it was dialled from
        same("", "--user", "root:pw", "endpoint", "status");
        same("", "--user", "root:pw", "move-leader", "1");
    }

    @Test
    void passwordPromptsEndTheirLine() throws Exception {
        same("a\na\n", "user", "passwd", "nosuch");
        same("a\nb\n", "user", "add", "nosuch");
    }

    @Test
    void aCommandTimeoutThatHasPassedFailsAtOnce() throws Exception {
        same("", "--command-timeout=0", "get", "a");
        same("", "--command-timeout=-1s", "get", "a");
        same("", "--command-timeout=0", "member", "list");
    }

    @Test
    void aKeepaliveTimeoutOfZeroOrLessIsGrpcsDefault() throws Exception {
        same("", "--keepalive-timeout=0", "get", "a");
        same("", "--keepalive-timeout=-1s", "get", "a");
    }

    @Test
    void debugListsEverySettingFirst() throws Exception {
        same("", "--debug", "get", "a");
        same("", "--debug", "-w", "json", "--hex", "--command-timeout=1m", "--keepalive-time=90s",
                "--user", "root:pw", "--insecure-discovery=false", "get", "a");
        same("", "--debug", "--dial-timeout=1500ms", "member", "list", "-w", "table");
    }
}
