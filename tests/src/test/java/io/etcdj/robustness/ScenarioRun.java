package io.etcdj.robustness;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.robustness.cluster.LocalCluster;
import io.etcdj.robustness.cluster.MemberLauncher;
import io.etcdj.robustness.cluster.ProgressMonitor;
import io.etcdj.robustness.linearizability.LinearizabilityChecker;
import io.etcdj.robustness.linearizability.StaleReadMutation;
import io.etcdj.robustness.traffic.History;
import io.etcdj.robustness.traffic.TrafficGenerator;
import io.etcdj.robustness.watch.WatchChecker;
import io.etcdj.robustness.watch.WatchRecorder;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One robustness scenario end to end: a 3-member cluster behind proxies, a watch from revision 1,
 * traffic, the scenario's faults (run while the traffic flows), then the checks — linearizability
 * of the KV history, the watch guarantees, acknowledged writes lost, and every member at the same
 * revision with the same HashKV. The cluster is always torn down, also when a step fails.
 */
final class ScenarioRun {
    /**
     * What the linearizability search may take per check: far more than a few hundred operations
     * need, so that a loaded machine yields a verdict rather than UNDECIDED.
     */
    private static final Duration CHECK_BUDGET = Duration.ofSeconds(60);
    /** What refuting the whole history with a planted stale read may take before an early one is planted instead. */
    private static final Duration SELF_CHECK_BUDGET = Duration.ofSeconds(20);

    /**
     * How many keys the traffic spreads over. The search is per key and grows steeply with the
     * writes of unknown outcome on one key, which every kill adds: a long run of scenario 11 (20
     * kills, 3,500 operations over 4 keys) left 870 operations on one key and no verdict within the
     * budget. Long runs spread over 16 keys, so that each key's history stays as dense as a short run's.
     */
    private static int checkedKeys() {
        return RobustnessDuration.get(Duration.ZERO).isZero() ? 4 : 16;
    }


    /**
     * How a scenario's cluster and traffic are set up.
     *
     * @param flags        member flags set on top of the launcher's template (e.g. a low snapshot count)
     * @param failpoints   members serve the gofail interface ({@link LocalCluster#enableFailpoints})
     * @param opsPerSecond a cap on the traffic's rate (0: none), so a long scenario's history stays checkable
     */
    record Options(Duration trafficDuration, int maxOperations, int opsPerSecond, Map<String, String> flags,
                   boolean failpoints) {
        static final Options DEFAULT = new Options(Duration.ofSeconds(90), 8_000, 0, Map.of(), false);
    }

    /** The faults of a scenario, injected while traffic runs. */
    interface Faults {
        void inject(LocalCluster cluster, TrafficGenerator traffic, List<String> log) throws Exception;
    }

    /** What a run found; {@link #row()} is one line of the result table. */
    record Result(String scenario, long seed, int operations, List<String> faults, long lostAckedWrites,
                  LinearizabilityChecker.Report linearizability, List<String> watchViolations, boolean converged,
                  String convergence, List<String> progressViolations) {

        static String header() {
            return String.format("%-22s | %-14s | %10s | %-40s | %10s | %-12s | %-8s | %-9s | %-8s",
                    "scenario", "seed", "operations", "faults injected", "lost acked", "linearizable", "watch ok",
                    "converged", "index ok");
        }

        String row() {
            return String.format("%-22s | %-14d | %10d | %-40s | %10d | %-12s | %-8s | %-9s | %-8s",
                    scenario, seed, operations, faultSummary(faults), lostAckedWrites,
                    linearizability.verdict() == LinearizabilityChecker.Verdict.LINEARIZABLE ? "yes"
                            : linearizability.verdict() == LinearizabilityChecker.Verdict.UNDECIDED ? "undecided" : "NO",
                    watchViolations.isEmpty() ? "yes" : "NO", converged ? "yes" : "NO",
                    progressViolations.isEmpty() ? "yes" : "NO");
        }

        /** The faults, each kind once with its count when repeated ("kill -9 m2", "crash@beforeCommit x3"). */
        static String faultSummary(List<String> faults) {
            Map<String, Long> byKind = faults.stream().collect(Collectors.groupingBy(
                    f -> f.replaceAll("@\\S+", "@point").replaceAll(" m[0-9]$", ""), LinkedHashMap::new, Collectors.counting()));
            if (faults.size() <= 4) {
                return String.join(", ", faults);
            }
            return byKind.entrySet().stream().map(e -> e.getValue() == 1 ? e.getKey() : e.getKey() + " x" + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    /**
     * Runs a scenario whose faults are one pass: once in the short run; with
     * {@code -Drobustness.duration}, pass after pass until that much time has gone, under traffic
     * capped at 150 operations/s so that the history stays checkable.
     */
    static Result run(String scenario, long seed, Faults faults) throws Exception {
        Duration duration = RobustnessDuration.get(Duration.ZERO);
        if (duration.isZero()) {
            return run(scenario, seed, Options.DEFAULT, faults);
        }
        Options longRun = new Options(duration.plus(Duration.ofMinutes(5)), Integer.MAX_VALUE, 150, Map.of(), false);
        return run(scenario, seed, longRun, (cluster, traffic, log) -> {
            long end = System.nanoTime() + duration.toNanos();
            do {
                faults.inject(cluster, traffic, log);
            } while (System.nanoTime() < end);
        });
    }

    static Result run(String scenario, long seed, Options options, Faults faults) throws Exception {
        MemberLauncher launcher = MemberLauncher.fromSystemProperties();
        for (Map.Entry<String, String> f : new TreeMap<>(options.flags()).entrySet()) {
            launcher = launcher.withFlag(f.getKey(), f.getValue());
        }
        try (LocalCluster cluster = new LocalCluster(launcher, seed)) {
            if (options.failpoints()) {
                cluster.enableFailpoints();
            }
            try {
                return runOn(cluster, scenario, seed, options, faults);
            } catch (Throwable t) {
                StringBuilder logs = new StringBuilder();
                for (LocalCluster.Node n : cluster.nodes()) {
                    logs.append("\n--- ").append(n.name).append(" log tail ---\n").append(cluster.logTail(n, 15));
                }
                throw new AssertionError(scenario + " failed (seed " + seed + ", replay with -Drobustness.seed="
                        + seed + "): " + t + logs, t);
            }
        }
    }

    private static Result runOn(LocalCluster cluster, String scenario, long seed, Options options, Faults faults)
            throws Exception {
        cluster.start(Duration.ofSeconds(60)); // JVM members on a loaded 2-core machine
        List<ManagedChannel> channels = cluster.nodes().stream().map(LocalCluster.Node::channel).toList();
        for (LocalCluster.Node n : cluster.nodes()) {
            cluster.awaitServing(n, Duration.ofSeconds(20));
        }

        WatchChecker watch = new WatchChecker(1);
        List<String> faultLog = new ArrayList<>();
        History history;
        long marker;
        ProgressMonitor progress = new ProgressMonitor(cluster);
        try (WatchRecorder recorder = new WatchRecorder(channels, watch); progress) {
            recorder.start();
            progress.start();
            TrafficGenerator traffic = new TrafficGenerator(new TrafficGenerator.Config(
                    // The duration only bounds a scenario gone wrong: the faults' own waits end the
                    // traffic, and a member restarting on a loaded machine may take many seconds.
                    6, checkedKeys(), options.trafficDuration(), options.maxOperations(), Duration.ofSeconds(1),
                    "key/", seed, options.opsPerSecond()), channels);
            traffic.start();
            try {
                faults.inject(cluster, traffic, faultLog);
            } finally {
                history = traffic.stopAndJoin();
            }

            // Let every member catch up, then write a marker: all members must reach its revision.
            for (LocalCluster.Node n : cluster.nodes()) {
                cluster.awaitServing(n, Duration.ofSeconds(20));
            }
            marker = KVGrpc.newBlockingStub(channels.get(0)).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("marker"))
                            .setValue(ByteString.copyFromUtf8("end")).build()).getHeader().getRevision();
            history.mayHaveWritten("end");
            long end = marker;
            LocalCluster.await("the watch to reach revision " + end, Duration.ofSeconds(20),
                    () -> watch.lastRevision() >= end || recorder.compactedError() != null);
            if (recorder.compactedError() != null) {
                throw new AssertionError("the watch cannot be checked: " + recorder.compactedError());
            }
            LocalCluster.await("every member at revision " + end, Duration.ofSeconds(20),
                    () -> cluster.nodes().stream().allMatch(n -> cluster.status(n)
                            .map(s -> s.getHeader().getRevision() >= end).orElse(false)));
            progress.checkAgreement(Duration.ofSeconds(20));
        }

        // Lease expiries may still add revisions, so compare the hash of the store up to the marker.
        long at = marker;
        Map<String, HashKVResponse> hashes = cluster.hashKv(at);
        Map<String, String> summary = hashes.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> "hash@" + at + " " + Integer.toUnsignedString(e.getValue().getHash())
                        + " compacted@" + e.getValue().getCompactRevision()));
        boolean converged = hashes.size() == 3 && summary.values().stream().distinct().count() == 1;

        LinearizabilityChecker.Report lin = new LinearizabilityChecker(CHECK_BUDGET).check(history.operations());
        // The checker must also be able to fail on a history of this size: make one read stale.
        StaleReadMutation.Mutated mutated = StaleReadMutation.apply(history.operations())
                .orElseThrow(() -> new AssertionError("no read to make stale: the history is too thin"));
        LinearizabilityChecker.Report mutatedReport = new LinearizabilityChecker(SELF_CHECK_BUDGET).check(mutated.history());
        System.out.println("self-check, with " + mutated.staleRead() + " made stale: " + mutatedReport.verdict());
        if (mutatedReport.verdict() == LinearizabilityChecker.Verdict.UNDECIDED) {
            // Refuting the whole history can outgrow the budget when many writes have unknown
            // outcomes; a stale read planted early must still be caught.
            mutated = StaleReadMutation.applyEarliest(history.operations()).orElseThrow();
            mutatedReport = new LinearizabilityChecker(CHECK_BUDGET).check(mutated.history());
            System.out.println("self-check, with " + mutated.staleRead() + " made stale: " + mutatedReport.verdict());
        }
        if (mutatedReport.verdict() != LinearizabilityChecker.Verdict.NOT_LINEARIZABLE) {
            throw new AssertionError("the checker missed a stale read planted in the real history: " + mutatedReport);
        }
        List<String> watchViolations = watch.verify(history);
        long lost = watch.missingAcknowledgedWrites(history);

        Result result = new Result(scenario, seed, history.total(), faultLog, lost, lin, watchViolations,
                converged, summary.toString(), progress.violations());
        System.out.println("progress: " + progress.samples() + " status samples, violations " + progress.violations());
        System.out.println("operations by kind: " + history.counts());
        System.out.println("watch: " + watch.events() + " events up to revision " + watch.lastRevision());
        System.out.println("members: " + summary);
        System.out.println(Result.header());
        System.out.println(result.row());
        return result;
    }
}
