package io.etcdj.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DefragmentRequest;
import io.etcdj.api.etcdserverpb.DefragmentResponse;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.robustness.cluster.LocalCluster;
import io.etcdj.robustness.traffic.TrafficGenerator;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scenario 8: under steady load, crash a member at every failpoint in turn (a leader or a
 * follower, by the seed), let it restart on its data dir, and go on; with a long duration, round
 * after round. The snapshot count is low, so snapshots are taken and sent while this goes on.
 * Besides the usual checks, no member's applied index or revision may ever go backwards, across
 * its crashes too, and all members agree on both at the end.
 *
 * <p>How each point is reached: the raft and backend-commit points by the traffic itself; the
 * snapshot-save points by the low snapshot count; the compaction points by a compaction request;
 * the defragmentation points by a Defragment request; and the points met when a follower applies
 * a snapshot received from the leader by restarting a follower that was down while the leader
 * moved past its catch-up entries, with the point armed from the start (GOFAIL_FAILPOINTS).
 *
 * <p>Needs a member that serves gofail's HTTP interface (our bin/etcd): the reference etcd
 * package has no failpoints, and the scenario fails on it rather than skip.
 */
class FailpointCrashScenarioIT {
    private static final List<String> RECEIVED_SNAPSHOT_POINTS =
            List.of("raftBeforeApplySnap", "raftAfterApplySnap", "applyBeforeOpenSnapshot");
    private static final long CATCH_UP_ENTRIES = 100;

    @Test
    void crashAtEveryFailpointUnderLoad() throws Exception {
        long seed = Long.getLong("robustness.seed", System.currentTimeMillis());
        Duration duration = RobustnessDuration.get(Duration.ZERO);
        ScenarioRun.Options options = new ScenarioRun.Options(duration.plus(Duration.ofMinutes(12)), 1_000_000, 30,
                Map.of("snapshot-count", "300", "experimental-snapshot-catchup-entries", Long.toString(CATCH_UP_ENTRIES)),
                true);
        ScenarioRun.Result r = ScenarioRun.run("crash at failpoints", seed, options,
                (cluster, traffic, log) -> crashAtEveryPoint(cluster, traffic, log, seed, duration));
        KillLeaderScenarioIT.assertResult(r);
        assertThat(r.faults()).as("every point crashed its member at least once")
                .hasSizeGreaterThanOrEqualTo(16);
    }

    static void crashAtEveryPoint(LocalCluster cluster, TrafficGenerator traffic, List<String> log, long seed,
                                  Duration duration) throws Exception {
        Random random = new Random(seed);
        List<String> points = cluster.failpointNames(cluster.nodes().get(0), Duration.ofSeconds(20));
        assertThat(points).as("failpoints served").contains("raftBeforeSave", "beforeCommit", "defragBeforeCopy");
        LocalCluster.await("some traffic", Duration.ofSeconds(15), () -> traffic.history().total() >= 100);
        long end = System.nanoTime() + duration.toNanos();
        int round = 0;
        do {
            round++;
            for (String point : points) {
                LocalCluster.Node leader = cluster.awaitLeader(Duration.ofSeconds(60));
                List<LocalCluster.Node> followers = cluster.nodes().stream().filter(n -> n != leader).toList();
                boolean onLeader = !RECEIVED_SNAPSHOT_POINTS.contains(point) && random.nextBoolean();
                LocalCluster.Node target = onLeader ? leader : followers.get(random.nextInt(followers.size()));
                long crashesBefore = cluster.logCount(target, "failpoint " + point + ": panic");
                if (RECEIVED_SNAPSHOT_POINTS.contains(point)) {
                    crashWhileReceivingSnapshot(cluster, leader, target, point);
                } else {
                    cluster.armFailpoint(target, point);
                    trigger(cluster, target, point);
                }
                awaitCrash(cluster, target, point, crashesBefore);
                log.add("crash@" + point + " " + target.name);
                System.out.println("crashed " + target + (onLeader ? " (leader)" : " (follower)") + " at " + point);
                cluster.restart(target);
                cluster.awaitServing(target, Duration.ofSeconds(90)); // a JVM restart on a busy machine
                int before = traffic.history().total();
                LocalCluster.await("traffic after " + target + " came back", Duration.ofSeconds(20),
                        () -> traffic.history().total() >= before + 20);
            }
            System.out.println("failpoint round " + round + " done: " + log.size() + " crashes");
        } while (System.nanoTime() < end);
    }

    /** Makes the member reach {@code point} when the traffic alone would not soon enough. */
    private static void trigger(LocalCluster cluster, LocalCluster.Node target, String point) {
        if (point.startsWith("compact")) {
            // Compact far enough back for the resuming watch, but past the last compaction, so that
            // the physical compaction has revisions to delete.
            LocalCluster.await("a compaction that reaches " + point, Duration.ofSeconds(30), () -> {
                if (!target.running()) {
                    return true;
                }
                try {
                    HashKVResponse h = cluster.hashKv(0).get(target.name);
                    if (h == null) {
                        return false;
                    }
                    long rev = h.getHeader().getRevision() - 500;
                    if (rev > h.getCompactRevision() + 20) {
                        KVGrpc.newBlockingStub(target.channel()).withDeadlineAfter(5, TimeUnit.SECONDS)
                                .compact(CompactionRequest.newBuilder().setRevision(rev).build());
                    }
                } catch (RuntimeException e) {
                    // compacted meanwhile by the traffic, or the member died: look again
                }
                return !target.running();
            });
        } else if (point.startsWith("defrag")) {
            // The member dies inside the call: never waits for its answer.
            MaintenanceGrpc.newStub(target.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                    .defragment(DefragmentRequest.getDefaultInstance(), new StreamObserver<>() {
                        @Override public void onNext(DefragmentResponse r) { }
                        @Override public void onError(Throwable t) { }
                        @Override public void onCompleted() { }
                    });
        }
    }

    /**
     * The follower is killed, the leader moves more than its catch-up entries past it (and takes a
     * snapshot), and the follower restarts with {@code point} armed from the environment: the
     * leader must send it a snapshot, and it crashes while applying it.
     */
    private static void crashWhileReceivingSnapshot(LocalCluster cluster, LocalCluster.Node leader,
                                                    LocalCluster.Node follower, String point) throws Exception {
        cluster.kill(follower);
        long behind = raftIndex(cluster, leader).orElse(0L);
        LocalCluster.await("the leader " + (3 * CATCH_UP_ENTRIES + 300) + " entries past the stopped follower",
                Duration.ofSeconds(60), () -> cluster.leader().flatMap(l -> raftIndex(cluster, l))
                        .map(i -> i > behind + 3 * CATCH_UP_ENTRIES + 300).orElse(false));
        cluster.restart(follower, Map.of("GOFAIL_FAILPOINTS", point + "=panic"));
    }

    private static Optional<Long> raftIndex(LocalCluster cluster, LocalCluster.Node n) {
        return cluster.status(n).map(s -> s.getRaftIndex());
    }

    private static void awaitCrash(LocalCluster cluster, LocalCluster.Node target, String point, long crashesBefore)
            throws Exception {
        int status = cluster.awaitExit(target, Duration.ofSeconds(60));
        assertThat(cluster.logCount(target, "failpoint " + point + ": panic"))
                .as("%s ended (status %d) at failpoint %s", target, status, point).isGreaterThan(crashesBefore);
    }
}
