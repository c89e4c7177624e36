package io.etcdj.etcdctl.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * check datascale and check perf with Debian's etcdctl 3.4.23 and with ours against a reference etcd.
 * What is measured (throughput, latencies, memory, elapsed time, revisions) and the verdicts that
 * depend on it are masked; the progress line is reduced to its final state after every intermediate
 * redraw was checked to have etcdctl's shape (a redraw of another shape stays visible and fails the
 * comparison). Everything else (the lines, their order, errors, exit codes) must be identical.
 */
class CheckGoldenDiffTest {
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final List<ToolRun.Mask> BAR = List.of(
            new ToolRun.Mask("\r ([0-9]+) / ([0-9]+)  100\\.00% [0-9hms]+\n", "[progress $1/$2 done]\n"),
            new ToolRun.Mask("\r [0-9]+ / [0-9]+ +[0-9]{1,3}\\.[0-9]{2}%( [0-9]{2}m[0-9]{2}s)?", ""));
    private static final List<ToolRun.Mask> MEASURED = List.of(
            new ToolRun.Mask("(Compacting|Compacted) with revision [0-9]+", "$1 with revision N"),
            new ToolRun.Mask("memory used : -?[0-9]+\\.[0-9]{2} MB", "memory used : M MB"),
            new ToolRun.Mask("(?m)^(PASS: Throughput is|FAIL: Throughput too low:) [0-9]+ writes/s$", "THROUGHPUT"),
            new ToolRun.Mask("(?m)^(PASS: Slowest request took|Slowest request took too long:) [0-9.]+s$", "SLOWEST"),
            new ToolRun.Mask("(?m)^(PASS: Stddev is|Stddev too high:) [0-9.]+s$", "STDDEV"));

    @TempDir
    Path dir;

    private EtcdProcess etcd;

    @BeforeEach
    void start() throws Exception {
        etcd = EtcdProcess.start();
    }

    @AfterEach
    void stop() {
        etcd.close();
    }

    private Map<String, String> env() {
        return Map.of("ETCDCTL_ENDPOINTS", etcd.endpoint());
    }

    private static ToolRun masked(ToolRun r) {
        return r.masked(BAR).masked(MEASURED);
    }

    @Test
    void datascaleFillsMeasuresAndCleansUpAsEtcdctlDoes() throws Exception {
        String[] args = {"check", "datascale", "--auto-compact", "--auto-defrag"};
        ToolRun ref = BackgroundTool.reference(dir, "ref", env(), args).awaitExit(WAIT);
        ToolRun ours = BackgroundTool.ours(dir, "ours", env(), args).awaitExit(WAIT);
        assertThat(masked(ours)).isEqualTo(masked(ref));
        assertThat(masked(ours).stdout()).contains("[progress 10000/10000 done]\n", "memory used : M MB.");
        assertThat(ToolRun.ours(List.of("get", "/etcdctl-check-datascale/", "--prefix", "--keys-only"), env(), "").stdout())
                .as("the keys left behind").isEmpty();
    }

    @Test
    void perfRunsItsMinuteOfLoadAndJudgesAsEtcdctlDoes() throws Exception {
        // side by side, each on its own prefix; no compaction, as one tool's could overtake the other's
        BackgroundTool ref = BackgroundTool.reference(dir, "ref", env(), "check", "perf", "--prefix", "/ref-perf/",
                "--auto-defrag");
        BackgroundTool ours = BackgroundTool.ours(dir, "ours", env(), "check", "perf", "--prefix", "/our-perf/",
                "--auto-defrag");
        ToolRun refRun = ref.awaitExit(WAIT);
        ToolRun ourRun = ours.awaitExit(WAIT);
        String verdict = ourRun.stdout().strip().substring(ourRun.stdout().strip().lastIndexOf('\n') + 1);
        assertThat(ourRun.code()).as("exit code of a %s run", verdict).isEqualTo(verdict.equals("PASS") ? 0 : 1);
        // etcdctl's bar draws its last state from its own goroutine, sometimes after "Defragmenting":
        // where that line falls is not compared (ours must begin with it, checked below)
        List<ToolRun.Mask> verdicts = List.of(new ToolRun.Mask("(?m)^(PASS|FAIL)$", "VERDICT"),
                new ToolRun.Mask("\\[progress 60/60 done]\n", ""));
        assertThat(new ToolRun(masked(ourRun).masked(verdicts).stdout(), ourRun.stderr(), 0))
                .isEqualTo(new ToolRun(masked(refRun).masked(verdicts).stdout(), refRun.stderr(), 0));
        assertThat(masked(ourRun).stdout()).startsWith("[progress 60/60 done]\n");
    }

    @Test
    void refusalsAreEtcdctls() throws Exception {
        ToolRun put = ToolRun.reference(List.of("put", "/etcdctl-check-perf/x", "y"), env(), "");
        assertThat(put.code()).isZero();
        assertThat(ToolRun.reference(List.of("put", "/etcdctl-check-datascale/x", "y"), env(), "").code()).isZero();
        for (List<String> args : List.of(List.of("check", "perf", "--load", "x"), List.of("check", "datascale", "--load", "huge"),
                List.of("check", "perf"), List.of("check", "datascale", "--load", "small"), List.of("check"))) {
            assertThat(ToolRun.ours(args, env(), "")).as("%s", args).isEqualTo(ToolRun.reference(args, env(), ""));
        }
    }
}
