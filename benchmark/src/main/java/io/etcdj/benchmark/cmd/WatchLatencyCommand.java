package io.etcdj.benchmark.cmd;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.benchmark.client.Connections;
import io.etcdj.benchmark.client.ErrorText;
import io.etcdj.benchmark.report.LatencyRecorder;
import io.etcdj.benchmark.report.ProgressBar;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark watch-latency}: {@code --streams} x {@code --watchers-per-stream} watchers on
 * one key; one client puts to it {@code --put-total} times at {@code --put-rate}; the watch
 * latency of a watcher's j-th event is the time from the j-th put's completion to the event's
 * arrival (0 when the event beat the put response).
 */
@Command(name = "watch-latency", description = "Benchmark watch latency")
final class WatchLatencyCommand extends BenchCommand {
    @Option(names = "--streams", description = "Total watch streams (default: 10)")
    int streams = 10;

    @Option(names = "--watchers-per-stream", description = "Total watchers per stream (default: 10)")
    int watchersPerStream = 10;

    @Option(names = "--prevkv", description = "PrevKV enabled on watch requests")
    boolean prevKv;

    @Option(names = "--put-total", description = "Total number of put requests (default: 1000)")
    int putTotal = 1000;

    @Option(names = "--put-rate", description = "Number of keys to put per second (default: 100)")
    int putRate = 100;

    @Option(names = "--key-size", description = "Key size of watch response (default: 32)")
    int keySize = 32;

    @Option(names = "--val-size", description = "Value size of watch response (default: 32)")
    int valSize = 32;

    @Override
    protected int run() throws Exception {
        if (putRate <= 0) {
            throw new UsageError("expected positive --put-rate, got (" + putRate + ")");
        }
        ByteString key = ByteString.copyFrom(randomBytes(keySize));
        ByteString value = ByteString.copyFrom(randomBytes(valSize));
        int watchers = streams * watchersPerStream;
        long[][] eventTimes = new long[watchers][putTotal];
        int[] received = new int[watchers];
        long[] putTimes = new long[putTotal];
        CountDownLatch created = new CountDownLatch(watchers);
        CountDownLatch allEvents = new CountDownLatch(watchers);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Connections conns = connect(); Connections putConn = connect(1)) {
            List<WatchStream> ws = new ArrayList<>();
            ProgressBar bar = progress((long) putTotal * watchers);
            for (int s = 0; s < streams; s++) {
                int base = s * watchersPerStream;
                ws.add(new WatchStream(conns.forClient(s % global().clients).next(), (w, n) -> created.countDown(),
                        (w, count, at) -> {
                            int idx = base + w;
                            for (int e = 0; e < count && received[idx] < putTotal; e++) {
                                eventTimes[idx][received[idx]++] = at;
                                bar.increment();
                                if (received[idx] == putTotal) {
                                    allEvents.countDown();
                                }
                            }
                        }, t -> {
                            failure.compareAndSet(null, t);
                            for (long i = created.getCount(); i > 0; i--) {
                                created.countDown();
                            }
                            for (long i = allEvents.getCount(); i > 0; i--) {
                                allEvents.countDown();
                            }
                        }));
                for (int w = 0; w < watchersPerStream; w++) {
                    ws.get(s).create(key, 0, prevKv);
                }
            }
            if (!created.await(60, TimeUnit.SECONDS) || failure.get() != null) {
                bar.finish();
                err().println("watch creation failed: " + (failure.get() == null ? "timed out" : ErrorText.of(failure.get())));
                return 1;
            }
            LatencyRecorder putRec = recorder(1);
            var kv = KVGrpc.newBlockingStub(putConn.forClient(0).next());
            PutRequest put = PutRequest.newBuilder().setKey(key).setValue(value).build();
            long interval = 1_000_000_000L / putRate;
            long next = System.nanoTime();
            long runStart = next;
            for (int i = 0; i < putTotal; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // pacing to --put-rate
                }
                next = Math.max(next + interval, System.nanoTime() - interval * putRate); // burst of at most one second
                long start = System.nanoTime();
                try {
                    kv.put(put);
                } catch (RuntimeException e) {
                    bar.finish();
                    err().println("Failed to Put for watch latency benchmark: " + ErrorText.of(e));
                    return 1;
                }
                long end = System.nanoTime();
                putRec.record(0, start, end);
                putTimes[i] = end;
            }
            long putElapsed = System.nanoTime() - runStart;
            boolean complete = allEvents.await(60, TimeUnit.SECONDS);
            long watchElapsed = System.nanoTime() - runStart;
            bar.finish();
            ws.forEach(WatchStream::close);
            print("watch-latency-put", "\nPut summary:\n", putRec.summarize(putElapsed));
            if (!complete || failure.get() != null) {
                err().println("watch-latency: not every event arrived"
                        + (failure.get() == null ? "" : ": " + ErrorText.of(failure.get())));
                return 1;
            }
            LatencyRecorder watchRec = recorder(1);
            for (int w = 0; w < watchers; w++) {
                for (int j = 0; j < putTotal; j++) {
                    long end = eventTimes[w][j];
                    watchRec.record(0, Math.min(putTimes[j], end), end);
                }
            }
            print("watch-latency-watch", "\nWatch events summary:\n", watchRec.summarize(watchElapsed));
        }
        return 0;
    }
}
