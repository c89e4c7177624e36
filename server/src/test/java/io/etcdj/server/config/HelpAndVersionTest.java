package io.etcdj.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.config.ConfigException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class HelpAndVersionTest {
    @Test
    void helpListsEveryVisibleFlagWithItsDefault() {
        String flags = EtcdHelp.flags();
        for (Flag<?> f : EtcdFlags.all()) {
            if (f.section() != Flag.Section.HIDDEN) {
                assertThat(flags).contains("  --" + f.name() + " '" + f.defaultForHelp() + "'\n");
            }
        }
        assertThat(flags).contains("  --name 'default'\n", "  --data-dir '${name}.etcd'\n",
                "  --initial-cluster 'default=http://localhost:2380'\n", "  --pre-vote 'true'\n",
                "  --grpc-keepalive-interval '2h0m0s'\n", "  --max-concurrent-streams 'math.MaxUint32'\n",
                "\nMember:\n", "\nClustering:\n", "\nSecurity:\n", "\nUnsafe feature:\n");
    }

    @Test
    void helpGoesToStdoutAfterTheUsageOnStderr() {
        Output o = report(new ConfigException(Kind.HELP, "help requested"));
        assertThat(o.err).startsWith("Usage:\n\n  etcd [flags]\n");
        assertThat(o.out).contains("--listen-client-urls 'http://localhost:2379'");
    }

    @Test
    void versionPrintsEtcdsFourLines() {
        Output o = report(new ConfigException(Kind.VERSION, "version requested"));
        assertThat(o.out.split("\n")).hasSize(4);
        assertThat(o.out).startsWith("etcd Version: 3.5.17\nGit SHA: ").contains("\nGo Version: ")
                .contains("\nGo OS/Arch: ");
        assertThat(EtcdVersion.CLUSTER).isEqualTo("3.5.0");
        assertThat(EtcdVersion.API).isEqualTo("3.5");
    }

    @Test
    void aSyntaxErrorPrintsTheMessageThenTheUsage() {
        Output o = report(new ConfigException(Kind.FLAG_SYNTAX, "flag provided but not defined: -foo"));
        assertThat(o.err).startsWith("flag provided but not defined: -foo\nUsage:\n");
        assertThat(o.out).isEmpty();
    }

    @Test
    void anInvalidConfigIsOneZapWarningLine() {
        Output o = report(new ConfigException(Kind.INVALID, "--heartbeat-interval must be >0 (set to 0ms)"));
        assertThat(o.log).matches("\\{\"level\":\"warn\",\"ts\":\"[0-9T:.-]+Z\",\"caller\":\"etcdmain/etcd.go:75\","
                + "\"msg\":\"failed to verify flags\",\"error\":\"--heartbeat-interval must be >0 \\(set to 0ms\\)\"}\n");
    }

    private record Output(String out, String err, String log) {}

    private static Output report(ConfigException e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream logStream = new PrintStream(log, true, StandardCharsets.UTF_8);
        e.report(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                StartupLog.zapJson(logStream, Clock.systemUTC()));
        return new Output(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                log.toString(StandardCharsets.UTF_8));
    }
}
