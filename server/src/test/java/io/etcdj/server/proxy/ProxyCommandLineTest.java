package io.etcdj.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code etcd gateway} and {@code etcd grpc-proxy} command lines against the reference etcd
 * 3.4.23: help, usage and every kind of flag error give the same stdout, stderr and exit status
 * byte for byte. (Only commands that end by themselves are compared; none starts a proxy.)
 */
class ProxyCommandLineTest {
    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {}

    @ParameterizedTest
    @ValueSource(strings = {
        "gateway", "gateway --help", "gateway start --help", "gateway start -h", "gateway foo",
        "gateway --bogus", "gateway start --bogus", "gateway start --bogus=1", "gateway start -x",
        "gateway start --retry-delay=abc", "gateway start --retry-delay", "gateway start --endpoints",
        "gateway start --insecure-discovery=maybe",
        "grpc-proxy", "grpc-proxy start --help", "grpc-proxy --x", "grpc-proxy start --resolver-ttl=x",
        "grpc-proxy start --max-concurrent-streams=-1", "grpc-proxy start --max-send-bytes=1.5",
        "grpc-proxy start --debug=x", "grpc-proxy start --namespace",
    })
    void sameOutputAndStatusAsTheReferenceEtcd(String args) throws Exception {
        String[] argv = args.split(" ");
        Outcome reference = reference(argv);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = ProxyCommandLine.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                f -> { throw new AssertionError("must not start"); }, f -> { throw new AssertionError("must not start"); });
        assertThat(new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)))
                .isEqualTo(reference);
    }

    @Test
    void startHandsTheParsedFlagsOn() {
        List<CobraFlags> seen = new ArrayList<>();
        int code = ProxyCommandLine.run(new String[] {"gateway", "start", "--endpoints=a:1,b:2", "--endpoints", "c:3",
                "--retry-delay=5s", "--insecure-discovery"}, System.out, System.err,
                f -> { seen.add(f); return 0; }, f -> 9);
        assertThat(code).isZero();
        CobraFlags f = seen.get(0);
        assertThat(f.strings("endpoints")).containsExactly("a:1", "b:2", "c:3");
        assertThat(f.duration("retry-delay")).hasSeconds(5);
        assertThat(f.bool("insecure-discovery")).isTrue();
        assertThat(f.string("listen-addr")).isEqualTo("127.0.0.1:23790");
    }

    private Outcome reference(String[] argv) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/etcd"));
        cmd.addAll(List.of(argv));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("reference etcd " + String.join(" ", argv) + " did not exit");
        }
        return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
