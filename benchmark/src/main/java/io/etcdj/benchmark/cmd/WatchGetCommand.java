package io.etcdj.benchmark.cmd;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.benchmark.client.ClientChannels;
import io.etcdj.benchmark.client.Connections;
import io.etcdj.benchmark.client.ErrorText;
import io.etcdj.benchmark.report.LatencyRecorder;
import io.etcdj.benchmark.report.ProgressBar;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark watch-get}: puts {@code --events} versions of "watchkey", opens
 * {@code --watchers} unsynced watchers from the first version's revision over {@code --streams}
 * streams, and while they catch up runs serializable gets of "abc" back to back on their own
 * connection; the summary is of those gets.
 */
@Command(name = "watch-get", description = "Benchmark watch with get")
final class WatchGetCommand extends BenchCommand {
    @Option(names = "--watchers", description = "Total number of watchers (default: 10000)")
    int watchers = 10000;

    @Option(names = "--streams", description = "Total number of watcher streams (default: 1)")
    int streams = 1;

    @Option(names = "--events", description = "Number of events per watcher (default: 8)")
    int events = 8;

    @Override
    protected int run() throws Exception {
        if (watchers <= 0 || streams <= 0 || events <= 0) {
            throw new UsageError("--watchers, --streams and --events must be positive");
        }
        ByteString watchKey = ByteString.copyFromUtf8("watchkey");
        try (Connections conns = connect(); Connections getConn = connect(1)) {
            var kv = KVGrpc.newBlockingStub(conns.forClient(0).next()).withDeadlineAfter(30, TimeUnit.SECONDS);
            long watchRev = 0;
            for (int i = 0; i < events; i++) {
                long rev = kv.put(PutRequest.newBuilder().setKey(watchKey).setValue(ByteString.copyFromUtf8(
                        Integer.toString(i))).build()).getHeader().getRevision();
                if (i == 0) {
                    watchRev = rev;
                }
            }
            int[] received = new int[watchers];
            CountDownLatch caughtUp = new CountDownLatch(watchers);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicBoolean stop = new AtomicBoolean();
            ProgressBar bar = progress((long) watchers * events);
            LatencyRecorder rec = recorder(1);
            CountDownLatch getsStopped = new CountDownLatch(1);
            ClientChannels getCh = getConn.forClient(0);
            RangeRequest get = RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("abc")).setSerializable(true)
                    .build();
            Runnable[] getLoop = new Runnable[1];
            getLoop[0] = () -> {
                long st = System.nanoTime();
                getCh.unary(KVGrpc.getRangeMethod(), get, (r, t) -> {
                    if (stop.get()) {
                        getsStopped.countDown();
                        return;
                    }
                    if (t == null) {
                        rec.record(0, st, System.nanoTime());
                    } else {
                        rec.fail(0, ErrorText.of(t));
                    }
                    getLoop[0].run();
                });
            };
            AtomicBoolean getsStarted = new AtomicBoolean();
            int perStream = (watchers + streams - 1) / streams;
            List<WatchStream> ws = new ArrayList<>();
            long start = System.nanoTime();
            for (int s = 0; s < streams; s++) {
                int base = s * perStream;
                ws.add(new WatchStream(conns.forClient(s % global().clients).next(), (w, n) -> {
                    if (getsStarted.compareAndSet(false, true)) {
                        getLoop[0].run();
                    }
                }, (w, count, at) -> {
                    int idx = base + w;
                    int before = received[idx];
                    received[idx] = Math.min(events, before + count);
                    bar.add(received[idx] - before);
                    if (before < events && received[idx] == events) {
                        caughtUp.countDown();
                    }
                }, t -> {
                    failure.compareAndSet(null, t);
                    for (long i = caughtUp.getCount(); i > 0; i--) {
                        caughtUp.countDown();
                    }
                }));
            }
            for (int i = 0; i < watchers; i++) {
                ws.get(i / perStream).create(watchKey, watchRev, false);
            }
            boolean complete = caughtUp.await(300, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - start;
            stop.set(true);
            if (getsStarted.get()) {
                getsStopped.await(30, TimeUnit.SECONDS);
            }
            bar.finish();
            ws.forEach(WatchStream::close);
            print("watch-get", "Get during watch summary:\n", rec.summarize(elapsed));
            if (!complete || failure.get() != null) {
                err().println("watch-get: watchers did not catch up"
                        + (failure.get() == null ? "" : ": " + ErrorText.of(failure.get())));
                return 1;
            }
        }
        return 0;
    }
}
