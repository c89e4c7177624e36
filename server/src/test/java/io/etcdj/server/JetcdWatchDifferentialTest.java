package io.etcdj.server;

import static io.etcdj.server.JetcdTranscript.await;
import static io.etcdj.server.JetcdTranscript.bs;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jetcd's Watch client against our member and the reference etcd 3.4: watches on a prefix, on a
 * range and on one key, replayed from a past revision, with prevKV and the NOPUT/NODELETE
 * filters; created and progress notifications; a watch from a compacted revision; many watchers
 * on one client; a key deleted by its lease's expiry; periodic progress notifications (with a
 * short --experimental-watch-progress-notify-interval on both sides); a watch from a future
 * revision. Every response a listener gets goes into the transcript (events, with the response's
 * header revision, as jetcd groups them).
 */
class JetcdWatchDifferentialTest {
    /** Short, so a quiet watch with progress notify hears from the server within the test. */
    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(500);

    @TempDir
    Path dir;

    @Test
    void jetcdWatchersSeeTheSameResponsesFromOurMemberAsFromEtcd() throws Exception {
        List<String> reference = JetcdSideBySide.assertSameTranscript(dir, endpoint -> new Scenario(endpoint).run(),
                new String[] {"--experimental-watch-progress-notify-interval=" + PROGRESS_INTERVAL.toMillis() + "ms"},
                s -> s.withWatchProgressInterval(PROGRESS_INTERVAL));
        assertThat(reference).hasSizeGreaterThan(30);
    }

    private static final class Scenario {
        private final String endpoint;
        private final JetcdTranscript t = new JetcdTranscript();

        Scenario(String endpoint) {
            this.endpoint = endpoint;
        }

        List<String> run() throws Exception {
            try (Client client = Client.builder().endpoints("http://" + endpoint).build()) {
                KV kv = client.getKVClient();
                t.base(await(kv.get(bs("any"))).getHeader().getRevision());
                pastRevisionsAndFilters(client, kv);
                compactedRevision(client, kv);
                manyWatchersOnOneClient(client, kv);
                leaseExpiry(client, kv);
            }
            try (Client client = Client.builder().endpoints("http://" + endpoint).build()) {
                progressOnRequest(client);
            }
            try (Client client = Client.builder().endpoints("http://" + endpoint).build()) {
                progressByInterval(client);
                futureRevision(client);
            }
            return t.lines();
        }

        private void pastRevisionsAndFilters(Client client, KV kv) throws Exception {
            long first = await(kv.put(bs("w/a"), bs("1"))).getHeader().getRevision();
            await(kv.put(bs("w/b"), bs("1")));
            await(kv.put(bs("w/c"), bs("1")));
            await(kv.put(bs("x/out"), bs("1")));
            await(kv.put(bs("w/a"), bs("2")));
            await(kv.delete(bs("w/b")));
            t.add("history written, now at " + t.rev(await(kv.get(bs("any"))).getHeader().getRevision()));

            Watch watch = client.getWatchClient();
            Recorder prefix = new Recorder("prefix w/ from " + t.rev(first) + " with prevKV");
            Recorder range = new Recorder("range [w/a, w/c) from " + t.rev(first));
            Recorder noPut = new Recorder("prefix w/ NOPUT");
            Recorder noDelete = new Recorder("prefix w/ NODELETE");
            Recorder oneKey = new Recorder("key w/a, created notify");
            List<Watch.Watcher> watchers = List.of(
                    watch.watch(bs("w/"), WatchOption.builder().isPrefix(true).withRevision(first).withPrevKV(true).build(), prefix),
                    watch.watch(bs("w/a"), WatchOption.builder().withRange(bs("w/c")).withRevision(first).build(), range),
                    watch.watch(bs("w/"), WatchOption.builder().isPrefix(true).withRevision(first).withNoPut(true).build(), noPut),
                    watch.watch(bs("w/"), WatchOption.builder().isPrefix(true).withRevision(first).withNoDelete(true).build(), noDelete),
                    watch.watch(bs("w/a"), WatchOption.builder().withRevision(first).withCreateNotify(true).build(), oneKey));
            prefix.untilEvents(5);
            range.untilEvents(4);
            noPut.untilEvents(1);
            noDelete.untilEvents(4);
            oneKey.untilEvents(2);

            // fences: live events after the replay, each watcher's next response is exactly the fence
            t.add("fence put @ " + t.rev(await(kv.put(bs("w/b-fence"), bs("f"))).getHeader().getRevision()));
            t.add("fence delete @ " + t.rev(await(kv.delete(bs("w/b-fence"))).getHeader().getRevision()));
            prefix.next(2);
            range.next(2);
            noPut.next(1);
            noDelete.next(1);

            // one txn deleting two keys: one response with both events
            await(kv.txn().Then(Op.delete(bs("w/a"), DeleteOption.DEFAULT), Op.delete(bs("w/c"), DeleteOption.DEFAULT)).commit());
            prefix.next(1);
            oneKey.next(1);

            watchers.get(0).close();
            prefix.next(1);
            watchers.subList(1, watchers.size()).forEach(Watch.Watcher::close);
        }

        private void compactedRevision(Client client, KV kv) throws Exception {
            long now = await(kv.put(bs("c/k"), bs("1"))).getHeader().getRevision();
            await(kv.put(bs("c/k"), bs("2")));
            await(kv.compact(now + 1));
            t.add("compacted at " + t.rev(now + 1));
            Recorder compacted = new Recorder("c/k from " + t.rev(now) + " (compacted)");
            try (Watch.Watcher ignored = client.getWatchClient().watch(bs("c/k"),
                    WatchOption.builder().withRevision(now).build(), compacted)) {
                compacted.next(2);
            }
            Recorder atCompaction = new Recorder("c/k from " + t.rev(now + 1) + " (the compaction revision)");
            try (Watch.Watcher ignored = client.getWatchClient().watch(bs("c/k"),
                    WatchOption.builder().withRevision(now + 1).withPrevKV(true).build(), atCompaction)) {
                atCompaction.untilEvents(1);
            }
        }

        private void manyWatchersOnOneClient(Client client, KV kv) throws Exception {
            int count = 16;
            List<Recorder> recorders = new ArrayList<>();
            List<Watch.Watcher> watchers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Recorder r = new Recorder("m/" + i);
                recorders.add(r);
                watchers.add(client.getWatchClient().watch(bs("m/" + i), WatchOption.builder()
                        .withCreateNotify(true).build(), r));
            }
            for (Recorder r : recorders) {
                r.next(1); // created: from here on each sees every write to its key
            }
            for (int i = count - 1; i >= 0; i--) {
                await(kv.put(bs("m/" + i), bs("v" + i)));
            }
            await(kv.delete(bs("m/"), DeleteOption.builder().isPrefix(true).build()));
            for (Recorder r : recorders) {
                r.untilEvents(2);
            }
            watchers.forEach(Watch.Watcher::close);
        }

        private void leaseExpiry(Client client, KV kv) throws Exception {
            long lease = await(client.getLeaseClient().grant(2)).getID();
            t.nameLease(lease, "short");
            await(kv.put(bs("e/k"), bs("leased"), PutOption.builder().withLeaseId(lease).build()));
            Recorder expiring = new Recorder("e/k with prevKV, its lease expiring");
            try (Watch.Watcher ignored = client.getWatchClient().watch(bs("e/k"),
                    WatchOption.builder().withPrevKV(true).build(), expiring)) {
                expiring.untilEvents(1);
            }
            t.add("after expiry, e/k: " + t.kvs(await(kv.get(bs("e/k"))).getKvs()));
        }

        private void progressOnRequest(Client client) throws Exception {
            KV kv = client.getKVClient();
            Recorder quiet = new Recorder("p/ (no writes), created notify");
            try (Watch.Watcher ignored = client.getWatchClient().watch(bs("p/"),
                    WatchOption.builder().isPrefix(true).withCreateNotify(true).build(), quiet)) {
                quiet.next(1);
                t.add("a write elsewhere @ " + t.rev(await(kv.put(bs("elsewhere"), bs("x"))).getHeader().getRevision()));
                client.getWatchClient().requestProgress();
                quiet.next(1);
            }
        }

        private void progressByInterval(Client client) throws Exception {
            Recorder quiet = new Recorder("q/ (no writes) with progress notify");
            try (Watch.Watcher ignored = client.getWatchClient().watch(bs("q/"),
                    WatchOption.builder().isPrefix(true).withProgressNotify(true).build(), quiet)) {
                quiet.next(1); // the first of the periodic notifications (how many follow is timing)
            }
        }

        private void futureRevision(Client client) throws Exception {
            KV kv = client.getKVClient();
            long now = await(kv.get(bs("any"))).getHeader().getRevision();
            Recorder ahead = new Recorder("f/k from " + t.rev(now + 2) + " (a future revision)");
            try (Watch.Watcher ignored = client.getWatchClient().watch(bs("f/k"),
                    WatchOption.builder().withRevision(now + 2).build(), ahead)) {
                await(kv.put(bs("f/k"), bs("early")));
                await(kv.put(bs("f/k"), bs("due")));
                ahead.next(1); // the first thing it hears is the write at its start revision
            }
        }

        /** One watcher's listener: every response, error and completion, in order. */
        private final class Recorder implements Watch.Listener {
            private final String name;
            private final BlockingQueue<Object> seen = new LinkedBlockingQueue<>();

            Recorder(String name) {
                this.name = name;
            }

            @Override
            public void onNext(WatchResponse response) {
                seen.add(response);
            }

            @Override
            public void onError(Throwable error) {
                seen.add(error);
            }

            @Override
            public void onCompleted() {
                seen.add("completed");
            }

            /** Records the next {@code n} things the listener got. */
            void next(int n) throws InterruptedException {
                for (int i = 0; i < n; i++) {
                    t.add(name + ": " + describe(poll()));
                }
            }

            /** Records responses until they held {@code events} events in all. */
            void untilEvents(int events) throws InterruptedException {
                int got = 0;
                while (got < events) {
                    Object o = poll();
                    t.add(name + ": " + describe(o));
                    if (!(o instanceof WatchResponse r)) {
                        return;
                    }
                    got += r.getEvents().size();
                }
            }

            private Object poll() throws InterruptedException {
                Object o = seen.poll(JetcdTranscript.WAIT_SECONDS, TimeUnit.SECONDS);
                return o == null ? "nothing within " + JetcdTranscript.WAIT_SECONDS + " s" : o;
            }

            private String describe(Object o) {
                if (o instanceof WatchResponse r) {
                    String header = "header " + t.rev(r.getHeader().getRevision());
                    if (r.isCreatedNotify()) {
                        return "created, " + header;
                    }
                    if (r.isProgressNotify()) {
                        return "progress, " + header;
                    }
                    return r.getEvents().stream().map(this::event).toList() + ", " + header;
                }
                if (o instanceof Throwable e) {
                    return "error " + t.error(e);
                }
                return String.valueOf(o);
            }

            private String event(WatchEvent e) {
                return e.getEventType() + " " + t.kv(e.getKeyValue())
                        + (e.getPrevKV() == null || e.getPrevKV().getKey().isEmpty() ? "" : " prev " + t.kv(e.getPrevKV()));
            }
        }
    }
}
