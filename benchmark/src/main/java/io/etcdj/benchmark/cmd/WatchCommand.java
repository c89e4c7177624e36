package io.etcdj.benchmark.cmd;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.benchmark.client.ClientChannels;
import io.etcdj.benchmark.client.Connections;
import io.etcdj.benchmark.client.ErrorText;
import io.etcdj.benchmark.load.ClosedLoop;
import io.etcdj.benchmark.load.Keys;
import io.etcdj.benchmark.load.RateLimiter;
import io.etcdj.benchmark.report.LatencyRecorder;
import io.etcdj.benchmark.report.ProgressBar;
import io.etcdj.benchmark.report.Summary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark watch}: opens {@code --streams} Watch streams of {@code --watch-per-stream}
 * watchers over {@code --watched-key-total} keys (summary "watch-make": the time from a create
 * request to its confirmation), then puts {@code --put-total} times to those keys and reports
 * every event delivered (summary "watch-put"; its Requests/sec is the event fan-out rate; as in
 * etcd, an event's "latency" is only its hand-off time inside the tool).
 */
@Command(name = "watch", description = "Benchmark watch")
final class WatchCommand extends BenchCommand {
    private static final long PHASE_DEADLINE_SECONDS = 300;

    @Option(names = "--streams", description = "Total watch streams (default: 10)")
    int streams = 10;

    @Option(names = "--watch-per-stream", description = "Total watchers per stream (default: 100)")
    int watchPerStream = 100;

    @Option(names = "--watched-key-total", description = "Total number of keys to be watched (default: 1)")
    int watchedKeyTotal = 1;

    @Option(names = "--put-rate", description = "Number of keys to put per second (0 is no limit)")
    int putRate;

    @Option(names = "--put-total", description = "Number of put requests (default: 1000)")
    int putTotal = 1000;

    @Option(names = "--key-size", description = "Key size of watch request (default: 32)")
    int keySize = 32;

    @Option(names = "--key-space-size", description = "Maximum possible keys (default: 1)")
    int keySpaceSize = 1;

    @Option(names = "--sequential-keys", description = "Use sequential keys")
    boolean sequentialKeys;

    @Override
    protected int run() throws Exception {
        if (keySpaceSize <= 0) {
            throw new UsageError("expected positive --key-space-size, got (" + keySpaceSize + ")");
        }
        if (streams <= 0 || watchPerStream <= 0 || watchedKeyTotal <= 0) {
            throw new UsageError("--streams, --watch-per-stream and --watched-key-total must be positive");
        }
        int grpcConns = Math.min(global().clients, global().conns);
        int wanted = 1 + streams / 100;
        if (grpcConns < wanted) {
            err().printf("warning: grpc limits 100 streams per client connection, have %d but need %d%n", grpcConns,
                    wanted);
        }
        List<ByteString> watched = new ArrayList<>();
        for (int i = 0; i < watchedKeyTotal; i++) {
            long n = sequentialKeys ? i % keySpaceSize : ThreadLocalRandom.current().nextInt(keySpaceSize);
            watched.add(ByteString.copyFrom(Keys.varintKey(keySize, n)));
        }
        try (Connections conns = connect()) {
            // Phase 1: create the watchers.
            int totalWatchers = streams * watchPerStream;
            LatencyRecorder makeRec = recorder(streams);
            CountDownLatch allCreated = new CountDownLatch(totalWatchers);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong eventsLeft = new AtomicLong(Long.MAX_VALUE);
            CountDownLatch allEvents = new CountDownLatch(1);
            LatencyRecorder putRec = recorder(streams);
            ProgressBar[] bar = {progress(totalWatchers)};
            List<WatchStream> ws = new ArrayList<>();
            Map<ByteString, Integer> watchersOfKey = new HashMap<>();
            long makeStart = System.nanoTime();
            for (int s = 0; s < streams; s++) {
                int slot = s;
                ws.add(new WatchStream(conns.forClient(s % global().clients).next(), (w, nanos) -> {
                    long now = System.nanoTime();
                    makeRec.record(slot, now - nanos, now);
                    bar[0].increment();
                    allCreated.countDown();
                }, (w, count, at) -> {
                    for (int e = 0; e < count; e++) {
                        putRec.record(slot, at, System.nanoTime());
                        bar[0].increment();
                        if (eventsLeft.decrementAndGet() == 0) {
                            allEvents.countDown();
                        }
                    }
                }, t -> {
                    failure.compareAndSet(null, t);
                    while (allCreated.getCount() > 0) {
                        allCreated.countDown();
                    }
                    allEvents.countDown();
                }));
            }
            int k = 0;
            for (int s = 0; s < streams; s++) {
                for (int w = 0; w < watchPerStream; w++) {
                    ByteString key = watched.get(k++ % watched.size());
                    watchersOfKey.merge(key, 1, Integer::sum);
                    ws.get(s).create(key, 0, false);
                }
            }
            if (!allCreated.await(PHASE_DEADLINE_SECONDS, TimeUnit.SECONDS) || failure.get() != null) {
                bar[0].finish();
                err().println("watch creation failed: "
                        + (failure.get() == null ? "timed out" : ErrorText.of(failure.get())));
                ws.forEach(WatchStream::close);
                return 1;
            }
            long makeElapsed = System.nanoTime() - makeStart;
            bar[0].finish();
            print("watch-make", "Watch creation summary:\n", makeRec.summarize(makeElapsed));

            // Phase 2: put to the watched keys and count every event delivered.
            long eventsTotal = 0;
            for (int i = 0; i < putTotal; i++) {
                eventsTotal += watchersOfKey.getOrDefault(watched.get(i % watched.size()), 0);
            }
            bar[0] = progress(eventsTotal);
            LatencyRecorder putErrors = recorder(global().clients);
            long putStart = System.nanoTime();
            eventsLeft.set(eventsTotal);
            if (eventsTotal == 0) {
                allEvents.countDown();
            }
            ByteString data = ByteString.copyFromUtf8("data");
            new ClosedLoop(global().clients, putTotal, RateLimiter.perSecondOrNull(putRate), ProgressBar.start(0, false),
                    putErrors).run(client -> {
                        ClientChannels ch = conns.forClient(client);
                        return (seq, done) -> ch.unary(KVGrpc.getPutMethod(), PutRequest.newBuilder()
                                .setKey(watched.get((int) (seq % watched.size()))).setValue(data).build(),
                                (r, t) -> done.complete(t));
                    });
            Summary puts = putErrors.summarize(1);
            if (puts.errorCount() > 0) {
                err().println("put failed: " + puts.errors().keySet().iterator().next());
            }
            boolean complete = allEvents.await(PHASE_DEADLINE_SECONDS, TimeUnit.SECONDS);
            long putElapsed = System.nanoTime() - putStart;
            bar[0].finish();
            ws.forEach(WatchStream::close);
            print("watch-put", "Watch events received summary:\n", putRec.summarize(putElapsed));
            if (!complete || failure.get() != null || puts.errorCount() > 0) {
                err().println("watch: not every event arrived ("
                        + (failure.get() == null ? eventsLeft.get() + " missing" : ErrorText.of(failure.get())) + ")");
                return 1;
            }
        }
        return 0;
    }
}
