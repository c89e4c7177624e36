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
 * elect -l (observe) with Debian's etcdctl 3.4.23 and with ours, side by side against one reference
 * etcd, both as real processes stopped by SIGTERM: they must print the same leaders and proclamations
 * (simple and json, headers included) and exit alike. Each step waits until every observer has
 * printed what the step causes before the next one, so all of them see the same history.
 */
class ElectListenGoldenDiffTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<ToolRun.Mask> MASKS = List.of(new ToolRun.Mask("\"ts\":\"[^\"]*\"", "\"ts\":TS"));

    @TempDir
    Path dir;

    private EtcdProcess etcd;
    private final List<BackgroundTool> started = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        etcd = EtcdProcess.start();
    }

    @AfterEach
    void stop() throws Exception {
        for (BackgroundTool t : started) {
            t.close();
        }
        etcd.close();
    }

    private Map<String, String> env() {
        return Map.of("ETCDCTL_ENDPOINTS", etcd.endpoint());
    }

    private BackgroundTool reference(String name, String... args) throws Exception {
        BackgroundTool t = BackgroundTool.reference(dir, name, env(), args);
        started.add(t);
        return t;
    }

    private BackgroundTool ours(String name, String... args) throws Exception {
        BackgroundTool t = BackgroundTool.ours(dir, name, env(), args);
        started.add(t);
        return t;
    }

    private static long lines(String s) {
        return s.chars().filter(c -> c == '\n').count();
    }

    /** Waits until each observer has printed n reports (two lines each in simple, one in json). */
    private static void awaitReports(int n, List<BackgroundTool> simple, List<BackgroundTool> json) throws Exception {
        for (BackgroundTool t : simple) {
            t.awaitStdout(n + " reports", s -> lines(s) >= 2L * n, WAIT);
        }
        for (BackgroundTool t : json) {
            t.awaitStdout(n + " reports", s -> lines(s) >= n, WAIT);
        }
    }

    private void put(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("put"));
        cmd.addAll(List.of(args));
        ToolRun r = ToolRun.reference(cmd, env(), "");
        assertThat(r.code()).as("%s", r).isZero();
    }

    @Test
    void observersSeeTheLeaderItsProclamationAndTheNextLeader() throws Exception {
        BackgroundTool first = reference("candidate-1", "elect", "e1", "p1");
        first.awaitStdout("leadership", s -> s.contains("p1\n"), WAIT);

        List<BackgroundTool> simple = List.of(reference("ref-simple", "elect", "-l", "e1"),
                ours("ours-simple", "elect", "-l", "e1"));
        List<BackgroundTool> json = List.of(reference("ref-json", "-w", "json", "elect", "-l", "e1"),
                ours("ours-json", "-w", "json", "elect", "-l", "e1"));
        awaitReports(1, simple, json);

        String leaderKey = first.stdoutSoFar().lines().findFirst().orElseThrow();
        put("--ignore-lease", leaderKey, "p1-proclaimed");
        awaitReports(2, simple, json);

        BackgroundTool second = reference("candidate-2", "elect", "e1", "p2");
        put("unrelated", "x"); // a revision between the two leaders
        ToolRun resigned = first.stop();
        assertThat(resigned.code()).as("%s", resigned).isZero();
        second.awaitStdout("leadership", s -> s.contains("p2\n"), WAIT);
        awaitReports(3, simple, json);

        assertThat(simple.get(0).stdoutSoFar()).endsWith("p2\n");
        ToolRun refSimple = simple.get(0).stop().masked(MASKS);
        ToolRun ourSimple = simple.get(1).stop().masked(MASKS);
        ToolRun refJson = json.get(0).stop().masked(MASKS);
        ToolRun ourJson = json.get(1).stop().masked(MASKS);
        assertThat(ourSimple).isEqualTo(refSimple);
        assertThat(ourJson).isEqualTo(refJson);
        second.stop();
    }

    @Test
    void anObserverStartedBeforeAnyCandidateSeesTheFirstOne() throws Exception {
        List<BackgroundTool> json = List.of(reference("ref-json", "-w", "json", "elect", "-l", "e2"),
                ours("ours-json", "-w", "json", "elect", "-l", "e2"));
        // both observers are watching once the reference etcd counts two more watchers than before
        etcd.awaitWatchers(2, WAIT);
        BackgroundTool candidate = reference("candidate", "elect", "e2", "only");
        awaitReports(1, List.of(), json);
        assertThat(json.get(1).stop().masked(MASKS)).isEqualTo(json.get(0).stop().masked(MASKS));
        candidate.stop();
    }

    @Test
    void argumentErrorsAreEtcdctls() throws Exception {
        for (List<String> args : List.of(List.of("elect"), List.of("elect", "-l", "a", "b"), List.of("elect", "a"),
                List.of("elect", "a", "b", "c"))) {
            assertThat(ToolRun.ours(args, env(), "")).as("%s", args).isEqualTo(ToolRun.reference(args, env(), ""));
        }
    }
}
