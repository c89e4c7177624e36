package io.etcdj.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.Member;
import io.etcdj.robustness.cluster.LocalCluster;
import io.etcdj.robustness.cluster.MemberLauncher;
import io.etcdj.robustness.traffic.TrafficGenerator;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scenario 9: under steady traffic, a follower is replaced ten times: removed (MemberRemove),
 * killed, its data dir wiped, added again under the same peer URL (MemberAdd: a new member ID)
 * and started with {@code --initial-cluster-state existing}. The snapshot count is 100, and the
 * catch-up entries 100 where the member knows {@code --experimental-snapshot-catchup-entries}
 * (etcd 3.4 has no such flag and keeps 5000): once the leader has taken a snapshot its log no
 * longer starts at entry 1 (etcd compacts at least that far), so an empty member can only catch up
 * from the leader's snapshot. At least one new member per round must have done so, as its log says.
 *
 * <p>Then a follower is replaced by a learner: promoting it is refused with etcd's error while it
 * has not even started (it cannot be in sync), is tried again once it runs until it is in sync
 * and succeeds, and the promoted member then serves linearizable reads as a voter.
 *
 * <p>A member just back makes etcd's strict reconfiguration check refuse the next removal for
 * 5 s ("unhealthy cluster"); the harness tries again. With {@code -Drobustness.duration} the whole
 * round repeats until that much time has passed.
 */
class MemberReplaceScenarioIT {
    private static final int REPLACEMENTS = 10;
    private static final long SNAPSHOT_COUNT = 100;
    private static final long CATCH_UP_ENTRIES = 100;
    private static final String CATCH_UP_FLAG = "experimental-snapshot-catchup-entries";
    /** The line a member logs once it applied a snapshot received from the leader. */
    private static final List<String> SNAPSHOT_APPLIED_LINES = List.of(
            "finished applying incoming snapshot",                  // etcd 3.4 (capnslog)
            "restored the backend from the leader's snapshot");     // etcdj
    private static final String NOT_IN_SYNC = "etcdserver: can only promote a learner member which is in sync with leader";
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void replaceAFollowerTenTimesThenPromoteALearnerOnceInSync() throws Exception {
        long seed = Long.getLong("robustness.seed", System.currentTimeMillis());
        Duration duration = RobustnessDuration.get(Duration.ZERO);
        boolean catchUpFlag = MemberLauncher.fromSystemProperties().knowsFlag(CATCH_UP_FLAG);
        Map<String, String> flags = new TreeMap<>(Map.of("snapshot-count", Long.toString(SNAPSHOT_COUNT)));
        if (catchUpFlag) {
            flags.put(CATCH_UP_FLAG, Long.toString(CATCH_UP_ENTRIES));
        }
        ScenarioRun.Options options = new ScenarioRun.Options(duration.plus(Duration.ofMinutes(6)), 1_000_000, 60,
                flags, false);
        Random random = new Random(seed);
        ScenarioRun.Result r = ScenarioRun.run("replace members", seed, options, (cluster, traffic, log) -> {
            long end = System.nanoTime() + duration.toNanos();
            do {
                replaceRound(cluster, traffic, log, random);
            } while (System.nanoTime() < end);
        });
        KillLeaderScenarioIT.assertResult(r);
        assertThat(r.faults()).as("replacements").filteredOn(f -> f.startsWith("replace")).hasSizeGreaterThanOrEqualTo(REPLACEMENTS);
        assertThat(r.faults()).as("learners promoted").filteredOn(f -> f.startsWith("learner promoted")).isNotEmpty();
    }

    static void replaceRound(LocalCluster cluster, TrafficGenerator traffic, List<String> log, Random random)
            throws Exception {
        int before = traffic.history().total();
        LocalCluster.await("some traffic", Duration.ofSeconds(15), () -> traffic.history().total() >= before + 100);
        int bySnapshot = 0;
        for (int i = 0; i < REPLACEMENTS; i++) {
            long t0 = System.nanoTime();
            LocalCluster.Node target = pickFollower(cluster, random);
            long snapshotsBefore = snapshotsApplied(cluster, target);
            replaceWithEmptyMember(cluster, target, false);
            long t1 = System.nanoTime();
            cluster.restart(target);
            cluster.awaitServing(target, Duration.ofSeconds(90)); // a JVM start on a busy machine
            boolean snapshot = snapshotsApplied(cluster, target) > snapshotsBefore;
            bySnapshot += snapshot ? 1 : 0;
            log.add((snapshot ? "replace+snap " : "replace ") + target.name);
            System.out.println("replaced " + target + " (" + (i + 1) + "/" + REPLACEMENTS + ")"
                    + (snapshot ? ", caught up from a snapshot" : ", caught up from the log") + ": removed and added in "
                    + TimeUnit.NANOSECONDS.toMillis(t1 - t0) + " ms, started and serving in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1) + " ms");
            awaitTraffic(traffic, "after " + target + " came back");
        }
        assertThat(bySnapshot).as("replacements that caught up from the leader's snapshot").isPositive();
        promoteALearner(cluster, traffic, log, random);
    }

    /**
     * A follower replaced by a learner: promotion is refused before the learner runs, then
     * succeeds once it has caught up; it is then a voting member serving linearizable reads.
     */
    static void promoteALearner(LocalCluster cluster, TrafficGenerator traffic, List<String> log, Random random)
            throws Exception {
        LocalCluster.Node target = pickFollower(cluster, random);
        replaceWithEmptyMember(cluster, target, true);
        assertThat(cluster.member(target, CHANGE_TIMEOUT).orElseThrow().getIsLearner()).as("%s added as learner", target)
                .isTrue();

        Status refusal = firstAnswer(cluster, target).orElseThrow(
                () -> new AssertionError("a learner that never started was promoted"));
        assertThat(refusal.getCode()).as("%s", refusal).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refusal.getDescription()).isEqualTo(NOT_IN_SYNC);

        cluster.restart(target);
        LocalCluster.await(target + " promoted once in sync with the leader", Duration.ofSeconds(90), () -> {
            Optional<Member> m = cluster.member(target, CHANGE_TIMEOUT);
            if (m.isPresent() && !m.get().getIsLearner()) {
                return true; // also when an attempt went through without an answer
            }
            Optional<Status> answer = firstAnswer(cluster, target);
            if (answer.isPresent() && !NOT_IN_SYNC.equals(answer.get().getDescription())) {
                throw new AssertionError("promoting " + target + ": " + answer.get());
            }
            return answer.isEmpty();
        });
        assertThat(cluster.member(target, CHANGE_TIMEOUT).orElseThrow().getIsLearner()).isFalse();
        cluster.awaitServing(target, Duration.ofSeconds(30)); // linearizable reads: a learner refuses them
        log.add("learner promoted " + target.name);
        System.out.println("learner " + target + " refused promotion before it ran, promoted once in sync");
        awaitTraffic(traffic, "after " + target + " was promoted");
    }

    /** Removes {@code target}, kills it, wipes its data dir and adds it again (as a learner if asked). */
    private static void replaceWithEmptyMember(LocalCluster cluster, LocalCluster.Node target, boolean learner)
            throws Exception {
        cluster.removeMember(target, CHANGE_TIMEOUT);
        cluster.kill(target); // a removed etcd member stops by itself; ours too, or this ends it
        cluster.wipe(target);
        cluster.addMember(target, learner, CHANGE_TIMEOUT);
    }

    /**
     * The answer to one MemberPromote of {@code target}: empty when it succeeded, else the
     * refusal. Refusals that only say the request did not get through are retried (30 s at most).
     */
    private static Optional<Status> firstAnswer(LocalCluster cluster, LocalCluster.Node target) {
        Status[] answer = new Status[1];
        LocalCluster.await("an answer to promoting " + target, Duration.ofSeconds(30), () -> {
            try {
                cluster.promoteMember(target, CHANGE_TIMEOUT);
                answer[0] = null;
                return true;
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                answer[0] = e.getStatus();
                return code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED;
            }
        });
        return Optional.ofNullable(answer[0]);
    }

    private static LocalCluster.Node pickFollower(LocalCluster cluster, Random random) {
        LocalCluster.Node leader = cluster.awaitLeader(CHANGE_TIMEOUT);
        List<LocalCluster.Node> followers = cluster.nodes().stream().filter(n -> n != leader).toList();
        return followers.get(random.nextInt(followers.size()));
    }

    private static long snapshotsApplied(LocalCluster cluster, LocalCluster.Node n) {
        return SNAPSHOT_APPLIED_LINES.stream().mapToLong(line -> cluster.logCount(n, line)).sum();
    }

    private static void awaitTraffic(TrafficGenerator traffic, String when) {
        int before = traffic.history().total();
        LocalCluster.await("traffic " + when, Duration.ofSeconds(20), () -> traffic.history().total() >= before + 20);
    }
}
