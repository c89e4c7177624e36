package io.etcdj.mvcc.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import io.etcdj.mvcc.SeededRuns;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.TxnWrite;
import io.etcdj.mvcc.backend.Backend;

/**
 * Writers, compactions and watchers with random ranges, filters and start revisions on streams with tiny
 * buffers (so watchers keep becoming victims) run concurrently; afterwards every watcher's responses are
 * checked against the store's own record of every revision (taken from the write listener):
 * ordered, unique, reliable (exactly the model's events for its range from its start revision), atomic
 * (a revision never split over responses), bookmarkable (after a progress response with revision R no
 * event at or below R arrives), or cancelled for compaction with a compaction revision above everything
 * it received.
 *
 * <p>etcd's known hole is mirrored and tolerated: a watcher reading history at exactly the compaction
 * revision may miss that revision's DELETE events (compaction removes tombstones at its revision).
 *
 * <p>Replay: {@code mvn -B -pl mvcc -am test -Dtest=WatchGuaranteesConcurrencyTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dwatch.seed=<seed>} (thread timing still varies).
 */
class WatchGuaranteesConcurrencyTest {
    private static final int ROUNDS = Integer.getInteger("watch.rounds", 5);
    private static final int WRITES_PER_WRITER = Integer.getInteger("watch.writes", 300);
    private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"};

    @TempDir
    Path dir;

    @Test
    void everyWatcherSeesExactlyItsEventsDespiteSlowConsumersAndCompaction() throws Exception {
        SeededRuns.run("watch.seed", ROUNDS, this::runChecked);
    }

    private void runChecked(long seed) throws Exception {
        try {
            run(seed);
        } catch (Throwable t) {
            throw new AssertionError("failed with seed " + seed + "; replay with -Dwatch.seed=" + seed, t);
        }
    }

    // ------------------------------------------------------------------ the run

    private record Spec(WatchStream stream, long id, KeyRange range, long start, boolean noPut, boolean noDelete,
            boolean prevKv) {
    }

    private record Revision(long rev, List<Event> events) {
    }

    private void run(long seed) throws Exception {
        Random rnd = new Random(seed);
        Backend backend = Backend.open(dir.resolve("db-" + seed));
        KvStore store = KvStore.open(backend);
        WatchableStore watchable = new WatchableStore(store, 1 + rnd.nextInt(20), 512);
        List<Revision> history = Collections.synchronizedList(new ArrayList<>());
        Map<ByteString, KeyValue> latest = new HashMap<>(); // the model's own prev_kv
        store.setWriteListener((rev, events) -> {
            List<Event> truth = new ArrayList<>(events.size());
            for (Event e : events) {
                KeyValue prev = latest.get(e.getKv().getKey());
                truth.add(prev == null ? e : e.toBuilder().setPrevKv(prev).build());
                if (e.getType() == Event.EventType.PUT) {
                    latest.put(e.getKv().getKey(), e.getKv());
                } else {
                    latest.remove(e.getKv().getKey());
                }
            }
            history.add(new Revision(rev, truth));
            watchable.committed(rev, events);
        });
        Set<Long> compactions = ConcurrentHashMap.newKeySet();
        List<WatchStream> streams = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            streams.add(watchable.newStream(1 + rnd.nextInt(3), 0));
        }
        Map<WatchStream, List<WatchResponse>> received = new ConcurrentHashMap<>();
        for (WatchStream s : streams) {
            received.put(s, new CopyOnWriteArrayList<>());
        }
        Map<String, Spec> specs = new ConcurrentHashMap<>();
        WatchSyncLoop loop = new WatchSyncLoop(watchable, TimeUnit.MILLISECONDS.toNanos(2));
        loop.start();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicBoolean consuming = new AtomicBoolean(true);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                write(store, rnd);
            }
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                Random wr = new Random(seed * 31 + w);
                threads.add(thread("writer-" + w, failures, () -> {
                    for (int i = 0; i < WRITES_PER_WRITER; i++) {
                        write(store, wr);
                        if (writer == 0 && i % 60 == 59) {
                            long target = store.rev() - 100 - wr.nextInt(100);
                            if (target > store.compactRevision()) {
                                try {
                                    store.compact(target);
                                    compactions.add(target);
                                } catch (MvccException raced) {
                                    // another revision moved; fine
                                }
                            }
                        }
                        if (writer == 1 && i % 12 == 0) {
                            createWatcher(store, streams.get(wr.nextInt(streams.size())), wr, specs);
                        }
                        if (writer == 1 && i % 50 == 25) {
                            streams.get(wr.nextInt(streams.size())).requestProgress();
                        }
                    }
                }));
            }
            List<Thread> consumers = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                List<WatchStream> mine = new ArrayList<>();
                for (int i = c; i < streams.size(); i += 2) {
                    mine.add(streams.get(i));
                }
                Random cr = new Random(seed * 17 + c);
                consumers.add(thread("consumer-" + c, failures, () -> consume(mine, received, cr, writing, consuming)));
            }
            threads.forEach(Thread::start);
            consumers.forEach(Thread::start);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(t.isAlive()).as("writer finished in time").isFalse();
            }
            writing.set(false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (watchable.unsyncedCount() > 0 || !allDrained(streams)) {
                assertThat(System.nanoTime()).as("watchers caught up in time").isLessThan(deadline);
                watchable.requestSync();
                Thread.onSpinWait();
                Thread.yield();
            }
            consuming.set(false);
            for (Thread t : consumers) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
            assertThat(failures).isEmpty();
            for (WatchStream s : streams) {
                for (WatchResponse r = s.poll(); r != null; r = s.poll()) {
                    received.get(s).add(r);
                }
            }
        } finally {
            writing.set(false);
            consuming.set(false);
            loop.close();
            store.close();
            backend.close();
        }
        List<Revision> model;
        synchronized (history) {
            model = new ArrayList<>(history);
        }
        int events = 0;
        int cancels = 0;
        int multiRevision = 0;
        for (WatchStream s : streams) {
            check(s, received.get(s), specs, model, compactions);
            for (WatchResponse r : received.get(s)) {
                events += r.getEventsCount();
                cancels += r.getCompactRevision() != 0 ? 1 : 0;
                if (r.getEventsCount() > 1 && r.getEvents(0).getKv().getModRevision()
                        != r.getEvents(r.getEventsCount() - 1).getKv().getModRevision()) {
                    multiRevision++;
                }
            }
        }
        System.out.printf("watch seed %d: %d revisions, %d watchers, %d events delivered, %d history batches, "
                + "%d compaction cancels, compactions %s%n", seed, model.size(), specs.size(), events, multiRevision,
                cancels, compactions);
    }

    private static boolean allDrained(List<WatchStream> streams) {
        for (WatchStream s : streams) {
            if (s.hasRoom() && s.queuedCount() == 0) {
                continue;
            }
            return false;
        }
        return true;
    }

    private static Thread thread(String name, List<Throwable> failures, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failures.add(e);
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    private static void consume(List<WatchStream> mine, Map<WatchStream, List<WatchResponse>> received, Random rnd,
            AtomicBoolean writing, AtomicBoolean consuming) {
        while (consuming.get()) {
            boolean got = false;
            for (WatchStream s : mine) {
                if (writing.get() && rnd.nextInt(3) == 0) {
                    continue; // a slow consumer: let the buffer fill
                }
                int n = 1 + rnd.nextInt(2);
                for (int i = 0; i < n; i++) {
                    WatchResponse r = s.poll();
                    if (r == null) {
                        break;
                    }
                    received.get(s).add(r);
                    got = true;
                }
            }
            if (!got) {
                try {
                    WatchResponse r = mine.get(0).poll(1, TimeUnit.MILLISECONDS);
                    if (r != null) {
                        received.get(mine.get(0)).add(r);
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void write(KvStore store, Random rnd) {
        try (TxnWrite txn = store.write()) {
            int kind = rnd.nextInt(10);
            if (kind < 5) {
                txn.put(bytes(KEYS[rnd.nextInt(KEYS.length)]), bytes("v" + rnd.nextInt(1000)), 0);
            } else if (kind < 7) {
                txn.deleteRange(KeyRange.single(bytes(KEYS[rnd.nextInt(KEYS.length)])));
            } else if (kind < 9) {
                List<String> keys = new ArrayList<>(List.of(KEYS));
                Collections.shuffle(keys, rnd);
                int puts = 1 + rnd.nextInt(3);
                for (int i = 0; i < puts; i++) {
                    txn.put(bytes(keys.get(i)), bytes("t" + rnd.nextInt(1000)), 0);
                }
                txn.deleteRange(KeyRange.single(bytes(keys.get(puts))));
            } else {
                txn.deleteRange(KeyRange.of(bytes("k2"), bytes("k5")));
            }
        }
    }

    private static void createWatcher(KvStore store, WatchStream stream, Random rnd, Map<String, Spec> specs) {
        KeyRange range = switch (rnd.nextInt(4)) {
            case 0 -> KeyRange.single(bytes(KEYS[rnd.nextInt(KEYS.length)]));
            case 1 -> KeyRange.of(bytes("k1"), bytes("k4"));
            case 2 -> KeyRange.prefix(bytes("k"));
            default -> KeyRange.of(bytes("k5"), new byte[] {0});
        };
        long start = rnd.nextInt(3) == 0 ? 0 : Math.max(1, store.rev() + 3 - rnd.nextInt(120));
        boolean noPut = rnd.nextInt(6) == 0;
        boolean noDelete = !noPut && rnd.nextInt(6) == 0;
        boolean prevKv = rnd.nextBoolean();
        WatchCreateRequest.Builder req = WatchCreateRequest.newBuilder().setKey(ByteString.copyFrom(range.key()))
                .setStartRevision(start).setPrevKv(prevKv);
        if (range.end() != null) {
            req.setRangeEnd(range.isUnbounded() ? ByteString.copyFrom(new byte[] {0}) : ByteString.copyFrom(range.end()));
        }
        if (noPut) {
            req.addFilters(WatchCreateRequest.FilterType.NOPUT);
        }
        if (noDelete) {
            req.addFilters(WatchCreateRequest.FilterType.NODELETE);
        }
        long id = stream.create(req.build());
        assertThat(id).isNotNegative();
        specs.put(System.identityHashCode(stream) + "/" + id, new Spec(stream, id, range, start, noPut, noDelete, prevKv));
    }

    // ------------------------------------------------------------------ the checks

    private static void check(WatchStream stream, List<WatchResponse> responses, Map<String, Spec> specs,
            List<Revision> model, Set<Long> compactions) {
        Map<Long, List<Integer>> byWatch = new HashMap<>();
        List<Integer> progressAt = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) {
            WatchResponse r = responses.get(i);
            if (r.getWatchId() == WatchStream.ALL_WATCHES) {
                assertThat(r.getEventsCount()).isZero();
                progressAt.add(i);
            } else {
                byWatch.computeIfAbsent(r.getWatchId(), k -> new ArrayList<>()).add(i);
            }
        }
        for (Spec spec : specs.values()) {
            if (spec.stream != stream) {
                continue;
            }
            List<Integer> mine = byWatch.getOrDefault(spec.id, List.of());
            assertThat(mine).as("watch %d has responses", spec.id).isNotEmpty();
            WatchResponse created = responses.get(mine.get(0));
            assertThat(created.getCreated()).as("first response of watch %d is created", spec.id).isTrue();
            long start = spec.start == 0 ? created.getHeader().getRevision() + 1 : spec.start;
            List<Event> expected = expectedEvents(spec, start, model);
            List<Event> got = new ArrayList<>();
            Map<Long, Integer> responseOfRevision = new HashMap<>();
            long compactCancel = 0;
            for (int k = 1; k < mine.size(); k++) {
                WatchResponse r = responses.get(mine.get(k));
                assertThat(compactCancel).as("nothing after the compaction cancel of watch %d", spec.id).isZero();
                if (r.getCanceled()) {
                    assertThat(r.getCompactRevision()).isPositive();
                    compactCancel = r.getCompactRevision();
                    continue;
                }
                for (Event e : r.getEventsList()) {
                    Integer prev = responseOfRevision.putIfAbsent(e.getKv().getModRevision(), k);
                    assertThat(prev == null || prev == k)
                            .as("revision %d of watch %d is in one response", e.getKv().getModRevision(), spec.id).isTrue();
                    got.add(e);
                }
            }
            compareSequences(spec, expected, got, compactions, compactCancel != 0);
            if (compactCancel != 0) {
                assertThat(compactions).as("cancel names a compaction revision").contains(compactCancel);
                if (!got.isEmpty()) {
                    assertThat(got.get(got.size() - 1).getKv().getModRevision()).isLessThan(compactCancel);
                } else {
                    assertThat(start).isLessThan(compactCancel);
                }
            }
            checkPrevKv(spec, got, model, compactions);
            for (int p : progressAt) {
                if (p < mine.get(0)) {
                    continue;
                }
                long at = responses.get(p).getHeader().getRevision();
                for (int k : mine) {
                    if (k > p) {
                        for (Event e : responses.get(k).getEventsList()) {
                            assertThat(e.getKv().getModRevision())
                                    .as("watch %d event after progress@%d", spec.id, at).isGreaterThan(at);
                        }
                    }
                }
            }
        }
    }

    private static List<Event> expectedEvents(Spec spec, long start, List<Revision> model) {
        List<Event> out = new ArrayList<>();
        for (Revision r : model) {
            if (r.rev < start) {
                continue;
            }
            for (Event e : r.events) {
                boolean put = e.getType() == Event.EventType.PUT;
                if ((put && spec.noPut) || (!put && spec.noDelete)) {
                    continue;
                }
                if (spec.range.contains(e.getKv().getKey().toByteArray())) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static void compareSequences(Spec spec, List<Event> expected, List<Event> got, Set<Long> compactions,
            boolean canceled) {
        int i = 0;
        for (Event e : got) {
            while (i < expected.size() && !same(expected.get(i), e) && toleratedMissing(expected.get(i), compactions)) {
                i++;
            }
            assertThat(i).as("watch %d %s got more events than expected: %s", spec.id, spec.range, e)
                    .isLessThan(expected.size());
            assertThat(same(expected.get(i), e))
                    .as("watch %d %s event #%d: expected %s got %s", spec.id, spec.range, i, expected.get(i), e)
                    .isTrue();
            i++;
        }
        if (!canceled) {
            while (i < expected.size() && toleratedMissing(expected.get(i), compactions)) {
                i++;
            }
            assertThat(i).as("watch %d %s received all %d events", spec.id, spec.range, expected.size())
                    .isEqualTo(expected.size());
        }
    }

    private static boolean toleratedMissing(Event e, Set<Long> compactions) {
        return e.getType() == Event.EventType.DELETE && compactions.contains(e.getKv().getModRevision());
    }

    private static boolean same(Event a, Event b) {
        return a.getType() == b.getType() && a.getKv().equals(b.getKv());
    }

    private static void checkPrevKv(Spec spec, List<Event> got, List<Revision> model, Set<Long> compactions) {
        long maxCompaction = compactions.stream().mapToLong(Long::longValue).max().orElse(0);
        Map<Long, Map<ByteString, Event>> byRev = new HashMap<>();
        for (Revision r : model) {
            Map<ByteString, Event> m = new HashMap<>();
            for (Event e : r.events) {
                m.put(e.getKv().getKey(), e);
            }
            byRev.put(r.rev, m);
        }
        Set<String> problems = new HashSet<>();
        for (Event e : got) {
            Event truth = byRev.get(e.getKv().getModRevision()).get(e.getKv().getKey());
            if (!spec.prevKv) {
                if (e.hasPrevKv()) {
                    problems.add("unrequested prev_kv " + e);
                }
                continue;
            }
            if (e.hasPrevKv()) {
                if (!truth.hasPrevKv() || !truth.getPrevKv().equals(e.getPrevKv())) {
                    problems.add("wrong prev_kv " + e + " truth " + truth);
                }
            } else if (truth.hasPrevKv() && e.getKv().getModRevision() - 1 >= maxCompaction) {
                problems.add("missing prev_kv " + e);
            }
        }
        assertThat(problems).as("prev_kv of watch %d", spec.id).isEmpty();
    }
}
