package io.etcdj.etcdctl.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ETCDCTL_API=2 over TLS (--ca-file, --cert-file, --key-file) with Debian's etcdctl 3.4.23 and with
 * ours, against a reference etcd that serves clients only over https and requires client
 * certificates: the same output and exit codes with the right files, without the client certificate,
 * without the CA, and with a CA file that does not exist.
 */
class V2TlsGoldenDiffTest {
    @TempDir
    Path dir;

    @Test
    void tlsFlagsReachAnHttpsOnlyEtcdAsEtcdctlDoes() throws Exception {
        Path[] pair = selfSigned();
        String cert = pair[0].toString();
        String key = pair[1].toString();
        try (EtcdProcess etcd = EtcdProcess.startTls(pair[0], pair[1], "--enable-v2")) {
            Map<String, String> env = Map.of("ETCDCTL_API", "2", "ETCDCTL_ENDPOINTS", "https://" + etcd.endpoint());
            List<String> all = List.of("--ca-file", cert, "--cert-file", cert, "--key-file", key);
            ToolRun set = ToolRun.reference(with(all, "set", "/tls/k", "v"), env, "");
            assertThat(set.code()).as("%s", set).isZero();
            for (List<String> args : List.of(with(all, "get", "/tls/k"), with(all, "ls", "/tls"),
                    with(all, "-o", "json", "get", "/tls/k"), with(all, "member", "list"),
                    with(List.of("--ca-file", cert), "get", "/tls/k"), with(List.of(), "get", "/tls/k"),
                    with(List.of("--ca-file", dir.resolve("nosuch.pem").toString()), "get", "/tls/k"))) {
                assertThat(ToolRun.ours(args, env, "")).as("ETCDCTL_API=2 etcdctl %s", args)
                        .isEqualTo(ToolRun.reference(args, env, ""));
            }
        }
    }

    /** A self-signed P-256 pair for 127.0.0.1 (server and client use), made by openssl. */
    private Path[] selfSigned() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-addext", "extendedKeyUsage=serverAuth,clientAuth")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
        return new Path[] {cert, key};
    }

    private static List<String> with(List<String> flags, String... command) {
        List<String> out = new ArrayList<>(flags);
        out.addAll(List.of(command));
        return out;
    }
}
