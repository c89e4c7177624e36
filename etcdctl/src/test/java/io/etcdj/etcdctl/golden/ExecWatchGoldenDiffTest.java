package io.etcdj.etcdctl.golden;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ETCDCTL_API=2 exec-watch with Debian's etcdctl 3.4.23 and with ours, side by side as processes
 * against one reference etcd (--enable-v2): the same commands run with the same ETCD_WATCH_*
 * variables, directory changes are reported alike, and etcdctl's argument quirk (without a flag
 * before the key, "KEY -- CMD ARG" watches ARG and runs KEY) is reproduced with its failure.
 */
class ExecWatchGoldenDiffTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private EtcdProcess etcd;
    private final List<BackgroundTool> started = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        etcd = EtcdProcess.start("--enable-v2");
    }

    @AfterEach
    void stop() throws Exception {
        for (BackgroundTool t : started) {
            t.close();
        }
        etcd.close();
    }

    private Map<String, String> env() {
        return Map.of("ETCDCTL_API", "2", "ETCDCTL_ENDPOINTS", "http://" + etcd.endpoint());
    }

    private void v2(String... args) throws Exception {
        ToolRun r = ToolRun.reference(List.of(args), env(), "");
        assertThat(r.code()).as("%s", r).isZero();
    }

    private List<BackgroundTool> both(String... args) throws Exception {
        List<BackgroundTool> ts = List.of(BackgroundTool.reference(dir, "ref", env(), args),
                BackgroundTool.ours(dir, "ours", env(), args));
        started.addAll(ts);
        return ts;
    }

    @Test
    void recursiveWatchRunsTheCommandPerChangeWithItsVariables() throws Exception {
        List<BackgroundTool> ts = both("exec-watch", "--recursive", "/ew", "--", "sh", "-c",
                "echo \"$ETCD_WATCH_ACTION $ETCD_WATCH_KEY=$ETCD_WATCH_VALUE @$ETCD_WATCH_MODIFIED_INDEX\"");
        // both watchers are waiting once the reference etcd counts two v2 watchers
        etcd.awaitMetric("etcd_debugging_store_watchers", 2, WAIT);
        v2("set", "/ew/a", "1");
        for (BackgroundTool t : ts) {
            t.awaitStdout("the first change", s -> s.contains("/ew/a=1"), WAIT);
        }
        v2("mkdir", "/ew/d");
        v2("set", "/ew/d/b", "two words");
        for (BackgroundTool t : ts) {
            t.awaitStdout("the second change", s -> s.contains("/ew/d/b=two words"), WAIT);
        }
        assertThat(ts.get(1).stop()).isEqualTo(ts.get(0).stop());
    }

    @Test
    void withoutAFlagTheLastArgumentIsTheKeyAsInEtcdctl() throws Exception {
        List<BackgroundTool> ts = both("exec-watch", "/not-a-command", "--", "echo", "ewkey");
        etcd.awaitMetric("etcd_debugging_store_watchers", 2, WAIT);
        v2("set", "/ewkey", "v");
        ToolRun ref = ts.get(0).awaitExit(WAIT);
        assertThat(ts.get(1).awaitExit(WAIT)).isEqualTo(ref);
        assertThat(ref.stderr()).isEqualTo("fork/exec /not-a-command: no such file or directory");
    }

    @Test
    void aKeyAndACommandAreRequired() throws Exception {
        for (List<String> args : List.of(List.of("exec-watch"), List.of("exec-watch", "/k"))) {
            assertThat(ToolRun.ours(args, env(), "")).as("%s", args).isEqualTo(ToolRun.reference(args, env(), ""));
        }
    }
}
