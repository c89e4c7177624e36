package io.etcdj.etcdctl.command;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DefragmentRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.ExitException;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.ClientConfig;
import io.etcdj.etcdctl.client.EtcdClient;
import io.etcdj.etcdctl.client.EtcdError;
import io.etcdj.etcdctl.print.GoQuote;
import io.etcdj.etcdctl.print.KeyRanges;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * check perf and check datascale: etcdctl 3.4's load checks. Both refuse a prefix that already holds
 * keys, put random keys under it from many concurrent clients while a progress line runs, delete the
 * prefix, optionally compact (physically, at the delete's revision) and defragment every endpoint, and
 * judge: perf by throughput (above 90% of the load's rate), slowest request (at most 0.5 s) and
 * standard deviation (at most 0.1 s) over 60 s of rate-limited puts; datascale by the growth of the
 * first endpoint's resident memory (its /metrics) over a fixed number of puts. A failed judgement
 * exits 1.
 *
 * <p>Concurrency: each of the load's clients is a worker thread; they share at most {@link #CHANNELS}
 * connections (etcdctl opens one connection per client).
 */
final class CheckCommands {
    private static final int CHANNELS = 32;
    private static final Map<String, String> LOAD_ALIASES = Map.of("s", "s", "small", "s", "m", "m", "medium", "m",
            "l", "l", "large", "l", "xl", "xl", "xLarge", "xl");

    /** perf's workloads: puts per second, clients; always 60 seconds. */
    private record PerfLoad(int rate, int clients) {}

    private static final Map<String, PerfLoad> PERF = Map.of("s", new PerfLoad(150, 50), "m", new PerfLoad(1000, 200),
            "l", new PerfLoad(8000, 500), "xl", new PerfLoad(15000, 1000));
    private static final int PERF_SECONDS = 60;

    /** datascale's workloads: number of puts, clients (keys and values of 512 bytes each). */
    private record ScaleLoad(int puts, int clients) {}

    private static final Map<String, ScaleLoad> SCALE = Map.of("s", new ScaleLoad(10_000, 50),
            "m", new ScaleLoad(100_000, 200), "l", new ScaleLoad(1_000_000, 500), "xl", new ScaleLoad(3_000_000, 1000));

    private CheckCommands() {}

    static Command check() {
        Command c = new Command("check <subcommand>", "commands for checking properties of the etcd cluster", null);
        Command perf = new Command("perf [options]", "Check the performance of the etcd cluster", CheckCommands::perf);
        perf.flags().string("load", "", "s",
                "The performance check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)");
        perf.flags().string("prefix", "", "/etcdctl-check-perf/", "The prefix for writing the performance check's keys.");
        perf.flags().bool("auto-compact", "", false, "Compact storage with last revision after test is finished.");
        perf.flags().bool("auto-defrag", "", false, "Defragment storage after test is finished.");
        Command scale = new Command("datascale [options]",
                "Check the memory usage of holding data for different workloads on a given server endpoint.",
                "If no endpoint is provided, localhost will be used. If multiple endpoints are provided, first endpoint will be used.",
                CheckCommands::datascale);
        scale.flags().string("load", "", "s",
                "The datascale check's workload model. Accepted workloads: s(small), m(medium), l(large), xl(xLarge)");
        scale.flags().string("prefix", "", "/etcdctl-check-datascale/", "The prefix for writing the datascale check's keys.");
        scale.flags().bool("auto-compact", "", false, "Compact storage with last revision after test is finished.");
        scale.flags().bool("auto-defrag", "", false, "Defragment storage after test is finished.");
        return c.add(perf, scale);
    }

    private static String model(Invocation inv) {
        String model = LOAD_ALIASES.get(inv.string("load"));
        if (model == null) {
            throw inv.fail(ExitCodes.BAD_FEATURE, "unknown load option " + inv.string("load"));
        }
        return model;
    }

    private static List<EtcdClient> clients(Session s, int n) {
        ClientConfig cfg = s.clientConfig();
        List<EtcdClient> cs = new ArrayList<>();
        for (int i = 0; i < Math.min(n, CHANNELS); i++) {
            cs.add(s.connect(cfg));
        }
        return cs;
    }

    private static void close(List<EtcdClient> cs) {
        cs.forEach(EtcdClient::close);
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFrom(s, StandardCharsets.UTF_8);
    }

    private static ByteString prefixEnd(String prefix) {
        return ByteString.copyFrom(KeyRanges.prefixEnd(prefix.getBytes(StandardCharsets.UTF_8)));
    }

    /** Exits 3 when the prefix holds a key. */
    private static void requireEmptyPrefix(Session s, EtcdClient c, String prefix) {
        long n;
        try {
            n = c.unary(x -> x.kvNoTimeout().withDeadlineAfter(5, TimeUnit.SECONDS).range(RangeRequest.newBuilder()
                    .setKey(bytes(prefix)).setRangeEnd(prefixEnd(prefix)).setLimit(1).build())).getKvsCount();
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        if (n > 0) {
            throw s.fail(ExitCodes.INVALID_INPUT, "prefix " + GoQuote.quote(prefix) + " has keys. Delete with etcdctl del --prefix "
                    + prefix + " first");
        }
    }

    /** A key of keySize bytes: the prefix, then a random number as a Go varint, then zeros. */
    private static ByteString randomKey(String prefix, int keySize) {
        byte[] k = new byte[keySize];
        long v = ThreadLocalRandom.current().nextLong(Long.MAX_VALUE);
        long zigzag = v << 1; // Go's PutVarint of a non-negative number
        int i = 0;
        while ((zigzag & ~0x7FL) != 0) {
            k[i++] = (byte) ((zigzag & 0x7F) | 0x80);
            zigzag >>>= 7;
        }
        k[i] = (byte) zigzag;
        return bytes(prefix).concat(ByteString.copyFrom(k));
    }

    /** Worker threads that put what {@code requests} hands them until it yields the end marker. */
    private static List<Thread> workers(List<EtcdClient> cs, int n, BlockingQueue<PutRequest> requests,
                                        LatencyReport report, ProgressBar perPut) {
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EtcdClient c = cs.get(i % cs.size());
            Thread t = new Thread(() -> {
                try {
                    while (true) {
                        PutRequest put = requests.take();
                        if (put == END) {
                            requests.put(END);
                            return;
                        }
                        long st = System.nanoTime();
                        try {
                            c.quiet(x -> x.kvNoTimeout().put(put));
                            report.success(st, System.nanoTime());
                        } catch (EtcdError e) {
                            report.failure(e.getMessage());
                        }
                        if (perPut != null) {
                            perPut.add(1);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "check-client-" + i);
            t.setDaemon(true);
            t.start();
            ts.add(t);
        }
        return ts;
    }

    private static final PutRequest END = PutRequest.getDefaultInstance();

    private static void joinAll(List<Thread> ts) throws InterruptedException {
        for (Thread t : ts) {
            t.join();
        }
    }

    /** Deletes the prefix, then compacts and defragments as asked. */
    private static void cleanUp(Session s, Invocation inv, EtcdClient c, String prefix, long timeoutSeconds) {
        DeleteRangeResponse d;
        try {
            var stub = c.kvNoTimeout();
            if (timeoutSeconds > 0) {
                stub = stub.withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
            }
            var finalStub = stub;
            d = c.unary(x -> finalStub.deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes(prefix))
                    .setRangeEnd(prefixEnd(prefix)).build()));
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
        try {
            if (inv.bool("auto-compact")) {
                long rev = d.getHeader().getRevision();
                s.out().printf("Compacting with revision %d\n", rev);
                c.unary(x -> x.kvNoTimeout().withDeadlineAfter(30, TimeUnit.SECONDS).compact(CompactionRequest.newBuilder()
                        .setRevision(rev).setPhysical(true).build()));
                s.out().printf("Compacted with revision %d\n", rev);
            }
            if (inv.bool("auto-defrag")) {
                for (String ep : c.endpoints()) {
                    s.out().printf("Defragmenting %s\n", GoQuote.quote(ep));
                    try (EtcdClient one = c.forEndpoint(ep)) {
                        one.unary(x -> x.maintenance().withDeadlineAfter(30, TimeUnit.SECONDS)
                                .defragment(DefragmentRequest.getDefaultInstance()));
                    }
                    s.out().printf("Defragmented %s\n", GoQuote.quote(ep));
                }
            }
        } catch (EtcdError e) {
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        }
    }

    /** Go's strconv.FormatFloat(x, 'f', digits, 64) / "%f": the exact binary value rounded. */
    static String fixed(double x, int digits) {
        return new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static boolean printErrors(Session s, LatencyReport report) {
        Map<String, Integer> errors = report.errors();
        if (errors.isEmpty()) {
            return false;
        }
        s.out().println("FAIL: too many errors");
        errors.forEach((e, n) -> s.out().printf("FAIL: ERROR(%s) -> %d\n", e, n));
        return true;
    }

    private static void perf(Invocation inv) throws Exception {
        PerfLoad load = PERF.get(model(inv));
        String prefix = inv.string("prefix");
        Session s = new Session(inv);
        List<EtcdClient> cs = clients(s, load.clients());
        try {
            requireEmptyPrefix(s, cs.get(0), prefix);
            ProgressBar bar = new ProgressBar(s.out(), PERF_SECONDS);
            LatencyReport report = new LatencyReport();
            BlockingQueue<PutRequest> requests = new ArrayBlockingQueue<>(load.clients() + 1);
            List<Thread> ws = workers(cs, load.clients(), requests, report, null);
            ByteString value = ByteString.copyFrom(new byte[1024]);
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(PERF_SECONDS);
            long interval = 1_000_000_000L / load.rate();
            Thread ticker = new Thread(() -> {
                try {
                    for (int i = 0; i < PERF_SECONDS; i++) {
                        Thread.sleep(1000);
                        bar.add(1);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "check-perf-seconds");
            ticker.setDaemon(true);
            ticker.start();
            // the rate limiter: one put every interval until the 60 s are over
            for (long next = start; next < end; next += interval) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (System.nanoTime() >= end) {
                    break;
                }
                requests.put(PutRequest.newBuilder().setKey(randomKey(prefix, 256)).setValue(value).build());
            }
            requests.put(END);
            joinAll(ws);
            report.end();
            ticker.join();
            bar.finish();
            cleanUp(s, inv, cs.get(0), prefix, 30);
            boolean ok = !printErrors(s, report);
            if (report.rps() / load.rate() <= 0.9) {
                s.out().printf("FAIL: Throughput too low: %d writes/s\n", (long) report.rps() + 1);
                ok = false;
            } else {
                s.out().printf("PASS: Throughput is %d writes/s\n", (long) report.rps() + 1);
            }
            if (report.slowest() > 0.5) {
                s.out().printf("Slowest request took too long: %ss\n", fixed(report.slowest(), 6));
                ok = false;
            } else {
                s.out().printf("PASS: Slowest request took %ss\n", fixed(report.slowest(), 6));
            }
            if (report.stddev() > 0.1) {
                s.out().printf("Stddev too high: %ss\n", fixed(report.stddev(), 6));
                ok = false;
            } else {
                s.out().printf("PASS: Stddev is %ss\n", fixed(report.stddev(), 6));
            }
            s.out().println(ok ? "PASS" : "FAIL");
            if (!ok) {
                throw new ExitException(ExitCodes.ERROR);
            }
        } finally {
            close(cs);
        }
    }

    private static void datascale(Invocation inv) throws Exception {
        ScaleLoad load = SCALE.get(model(inv));
        String prefix = inv.string("prefix");
        Session s = new Session(inv);
        List<EtcdClient> cs = clients(s, load.clients());
        try {
            requireEmptyPrefix(s, cs.get(0), prefix);
            String metricsHost = s.endpoints().get(0);
            double before = ResidentMemory.of(metricsHost, s.out());
            if (before == 0) {
                s.out().println("FAIL: Could not read process_resident_memory_bytes before the put operations.");
                throw new ExitException(ExitCodes.ERROR);
            }
            s.out().printf("Start data scale check for work load [%d key-value pairs, %d bytes per key-value, %d concurrent clients].\n",
                    load.puts(), 1024, load.clients());
            ProgressBar bar = new ProgressBar(s.out(), load.puts());
            LatencyReport report = new LatencyReport();
            BlockingQueue<PutRequest> requests = new ArrayBlockingQueue<>(load.clients() + 1);
            List<Thread> ws = workers(cs, load.clients(), requests, report, bar);
            ByteString value = ByteString.copyFrom(new byte[512]);
            for (int i = 0; i < load.puts(); i++) {
                requests.put(PutRequest.newBuilder().setKey(randomKey(prefix, 512)).setValue(value).build());
            }
            requests.put(END);
            joinAll(ws);
            report.end();
            bar.finish();
            double after = ResidentMemory.of(metricsHost, s.out());
            if (after == 0) {
                s.out().println("FAIL: Could not read process_resident_memory_bytes after the put operations.");
                throw new ExitException(ExitCodes.ERROR);
            }
            cleanUp(s, inv, cs.get(0), prefix, 0);
            if (printErrors(s, report)) {
                throw new ExitException(ExitCodes.ERROR);
            }
            s.out().printf("PASS: Approximate system memory used : %s MB.\n", fixed((after - before) / (1024 * 1024), 2));
        } finally {
            close(cs);
        }
    }
}
