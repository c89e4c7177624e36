package io.etcdj.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.robustness.cluster.LocalCluster;
import io.etcdj.robustness.traffic.TrafficGenerator;
import io.etcdj.robustness.watch.ReferenceLog;
import io.etcdj.robustness.watch.ResumedWatchVerifier;
import io.etcdj.robustness.watch.ResumingWatch;
import io.etcdj.robustness.watch.WatchedRange;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Scenario 10: watches resumed from random revisions under a compaction every 200 ms.
 *
 * <p>Under steady traffic, a compaction every 200 ms keeps the last 50–150 revisions. Sixteen
 * logical watches at a time (all keys, prefixes, a range, single keys; half with prev_kv) each
 * start from a random revision among the last 300 — often a compacted one — and are broken every
 * 0.2–1.5 s, by a cancel request or by dropping the stream, then resumed on a random member from
 * the last revision seen + 1; a compacted response moves them on to its compact revision. After a
 * few segments a watch retires and a new one starts elsewhere in the past.
 *
 * <p>Everything the watches delivered is then compared with the write history, as delivered by
 * one unbroken watch on all keys from revision 1 ({@link ReferenceLog}, itself checked against the
 * traffic's acknowledged writes): no gaps, no duplicates, ordered, prev_kv right, no event at or
 * below a revision a watch resumed after, the compacted response whenever the start revision was
 * compacted ({@link ResumingWatch}, {@link ResumedWatchVerifier}). Plus the usual end checks.
 */
class WatchResumeScenarioIT {

    private static final int WATCHES = 16;
    private static final Duration COMPACTION_PERIOD = Duration.ofMillis(200);
    /** How long a segment that must be told "compacted" may wait for it (etcd syncs slow watchers every 100 ms). */
    private static final Duration COMPACTED_RESPONSE_DEADLINE = Duration.ofSeconds(5);

    @Test
    void watchesResumedFromRandomRevisionsUnderCompaction() throws Exception {
        long seed = Long.getLong("robustness.seed", System.currentTimeMillis());
        Duration duration = RobustnessDuration.get(Duration.ofSeconds(30));
        ScenarioRun.Options options = new ScenarioRun.Options(duration.plus(Duration.ofMinutes(2)), 1_000_000, 150,
                Map.of(), false);
        ScenarioRun.Result r = ScenarioRun.run("watch resume+compact", seed, options,
                (cluster, traffic, log) -> new Run(cluster, traffic, log, seed).run(duration));
        KillLeaderScenarioIT.assertResult(r);
    }

    /** One run's watches, compactions and checks. */
    private static final class Run {
        private final LocalCluster cluster;
        private final TrafficGenerator traffic;
        private final List<String> log;
        private final Random random;
        private final AtomicLong compactionRequested = new AtomicLong();
        private final AtomicLong compactionAcknowledged = new AtomicLong();
        private final Set<Long> compactionRevisions = ConcurrentHashMap.newKeySet();
        private final List<ResumingWatch> retired = new ArrayList<>();
        private final List<Slot> active = new ArrayList<>();
        private final Set<ResumingWatch> opening = ConcurrentHashMap.newKeySet();
        private volatile boolean stopCompacting;
        private int nextId = 1;
        private int breaks;

        /** A logical watch and its schedule: when its current segment is broken, how many segments it lives. */
        private static final class Slot {
            final ResumingWatch watch;
            final int life;
            long breakAt;

            Slot(ResumingWatch watch, int life) {
                this.watch = watch;
                this.life = life;
            }
        }

        Run(LocalCluster cluster, TrafficGenerator traffic, List<String> log, long seed) {
            this.cluster = cluster;
            this.traffic = traffic;
            this.log = log;
            this.random = new Random(seed ^ 0x10);
        }

        void run(Duration duration) throws Exception {
            ResumingWatch reference = new ResumingWatch(0, WatchedRange.allKeys(), true, 1, compactionRequested::get);
            LocalCluster.await("the reference watch open", Duration.ofSeconds(20), () -> {
                reopenIfIdle(reference);
                return !reference.idle();
            });
            Thread compactor = new Thread(this::compactEvery200ms, "compactor");
            compactor.setDaemon(true);
            compactor.start();
            try {
                LocalCluster.await("some traffic", Duration.ofSeconds(15), () -> traffic.history().total() >= 100);
                churn(duration);
            } finally {
                stopCompacting = true;
                compactor.join(10_000);
            }
            log.add("break watch x" + breaks);

            // Let every watch still open catch up with the head, then end them all.
            long head = head(cluster.nodes().get(0));
            LocalCluster.await("the reference watch at revision " + head, Duration.ofSeconds(20), () -> {
                reopenIfIdle(reference);
                return reference.next() > head;
            });
            ReferenceLog atHead = new ReferenceLog(reference, traffic.history(), Set.of());
            LocalCluster.await("every watch caught up with revision " + head, Duration.ofSeconds(30), () -> {
                boolean all = true;
                for (Slot s : active) {
                    reopenIfIdle(s.watch);
                    all &= s.watch.next() > atHead.lastEventIn(s.watch.range(), head);
                }
                return all;
            });
            long delivered = 0;
            LocalCluster.await("no segment opening", Duration.ofSeconds(10), opening::isEmpty);
            for (Slot s : active) {
                s.watch.close();
                retired.add(s.watch);
                delivered = Math.max(delivered, s.watch.next() - 1);
            }
            long upTo = delivered;
            LocalCluster.await("the reference watch at revision " + upTo, Duration.ofSeconds(20), () -> {
                reopenIfIdle(reference);
                return reference.next() > upTo;
            });
            LocalCluster.await("no segment opening", Duration.ofSeconds(10), opening::isEmpty);
            reference.close();
            verify(reference);
        }

        private void verify(ResumingWatch reference) {
            ReferenceLog refLog = new ReferenceLog(reference, traffic.history(), Set.of());
            ResumedWatchVerifier verifier = new ResumedWatchVerifier(refLog, compactionRevisions);
            List<String> violations = new ArrayList<>(refLog.violations());
            violations.addAll(reference.violations());
            int segments = 0;
            int resumedWithEvents = 0;
            int compacted = 0;
            for (ResumingWatch w : retired) {
                violations.addAll(w.violations());
                verifier.verify(w);
                segments += w.segments().size();
                compacted += w.compactedResponses();
                resumedWithEvents += (int) w.segments().stream().skip(1).filter(s -> !s.events().isEmpty()).count();
            }
            violations.addAll(verifier.violations());
            System.out.println("resumed watches: " + retired.size() + " logical watches, " + segments + " segments ("
                    + resumedWithEvents + " resumed ones delivered events), " + compacted + " compacted responses, "
                    + compactionRevisions.size() + " compactions requested (last at " + compactionRequested.get()
                    + "); reference log: " + refLog.events() + " events up to revision " + refLog.lastRevision()
                    + "; " + verifier.summary());
            if (!violations.isEmpty()) {
                throw new AssertionError("resumed watches: " + violations.size() + " violations:\n  "
                        + String.join("\n  ", violations));
            }
            // The run must have done what it is about, or it proves nothing.
            assertThat(compacted).as("compacted responses").isPositive();
            assertThat(resumedWithEvents).as("resumed segments that delivered events").isPositive();
            assertThat(verifier.eventsChecked()).as("events compared").isGreaterThan(100);
        }

        /** Opens, breaks, retires and replaces watches until {@code duration} has passed. */
        private void churn(Duration duration) throws InterruptedException {
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() < end) {
                while (active.size() < WATCHES) {
                    active.add(newSlot());
                }
                for (int i = 0; i < active.size(); i++) {
                    Slot s = active.get(i);
                    ResumingWatch w = s.watch;
                    if (w.compactedResponseOverdue(COMPACTED_RESPONSE_DEADLINE.toNanos())) {
                        w.abandonOverdue();
                    }
                    if (!opening.contains(w) && w.idle()) { // in this order: only this thread starts opens
                        if (w.segments().size() >= s.life) {
                            retired.add(w);
                            active.set(i, newSlot());
                            continue;
                        }
                        s.breakAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200 + random.nextInt(1_300));
                        open(w, random.nextInt(cluster.nodes().size()));
                    } else if (System.nanoTime() > s.breakAt && !w.awaitingCompactedResponse()) {
                        w.breakSegment(random.nextBoolean());
                        breaks++;
                    }
                }
                Thread.sleep(20); // the churn's period, not a synchronisation
            }
        }

        /** A new logical watch from a random revision among the last 300 (one of the first segment's member). */
        private Slot newSlot() {
            int id = nextId++;
            WatchedRange range = switch (random.nextInt(6)) {
                case 0 -> WatchedRange.allKeys();
                case 1 -> WatchedRange.prefix("key/");
                case 2 -> WatchedRange.prefix("lease/");
                case 3 -> WatchedRange.between("key/1", "key/3");
                default -> WatchedRange.single("key/" + random.nextInt(4));
            };
            long head = headOrZero();
            long start = Math.max(1, head - random.nextInt(300));
            return new Slot(new ResumingWatch(id, range, random.nextBoolean(), start, compactionRequested::get),
                    2 + random.nextInt(5));
        }

        private void reopenIfIdle(ResumingWatch w) {
            if (w.idle()) {
                open(w, random.nextInt(cluster.nodes().size()));
            }
        }

        /**
         * Opens the watch's next segment on member {@code m}, after a linearizable read there: the
         * member has then applied every compaction acknowledged before the read, so a start
         * revision below one of them must be answered "compacted". Returns at once; the segment
         * opens when the read answers (the watch stays idle, to be tried again, if it fails).
         */
        private void open(ResumingWatch w, int m) {
            if (!opening.add(w)) {
                return;
            }
            LocalCluster.Node n = cluster.nodes().get(m);
            long known = compactionAcknowledged.get();
            ListenableFuture<RangeResponse> read =
                    KVGrpc.newFutureStub(n.channel()).withDeadlineAfter(2, TimeUnit.SECONDS)
                            .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("watch-probe")).build());
            read.addListener(() -> {
                try {
                    read.get();
                    w.open(n.channel(), n.name, known);
                } catch (Exception e) {
                    // not serving now: the watch stays idle and is opened again
                } finally {
                    opening.remove(w);
                }
            }, Runnable::run);
        }

        private static long head(LocalCluster.Node n) {
            return KVGrpc.newBlockingStub(n.channel()).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("watch-probe")).build())
                    .getHeader().getRevision();
        }

        private long headOrZero() {
            try {
                return head(cluster.nodes().get(random.nextInt(cluster.nodes().size())));
            } catch (RuntimeException e) {
                return 0;
            }
        }

        /**
         * Every 200 ms, on a member chosen in turn: compact 50–150 revisions behind the head (at
         * least one past the last compaction, and never closer than 50 to the head, so that
         * the scenario's own watch from revision 1, which follows the head, is never compacted).
         */
        private void compactEvery200ms() {
            Random r = new Random(random.nextLong());
            int turn = 0;
            while (!stopCompacting) {
                try {
                    Thread.sleep(COMPACTION_PERIOD.toMillis()); // the scenario's period, not a synchronisation
                } catch (InterruptedException e) {
                    return;
                }
                LocalCluster.Node n = cluster.nodes().get(turn++ % cluster.nodes().size());
                KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(n.channel()).withDeadlineAfter(5, TimeUnit.SECONDS);
                try {
                    long head = head(n);
                    long at = Math.max(head - 50 - r.nextInt(101), compactionRequested.get() + 1);
                    if (head - at < 50) {
                        continue;
                    }
                    compactionRevisions.add(at);
                    compactionRequested.accumulateAndGet(at, Math::max);
                    kv.compact(CompactionRequest.newBuilder().setRevision(at).build());
                    compactionAcknowledged.accumulateAndGet(at, Math::max);
                    synchronized (log) {
                        log.add("compact");
                    }
                } catch (StatusRuntimeException e) {
                    // a member busy or the traffic's own compaction went past it: the next period tries again
                }
            }
        }
    }
}
