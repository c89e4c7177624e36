package io.etcdj.benchmark.compare;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.benchmark.client.Endpoint;
import io.etcdj.benchmark.client.ErrorText;
import io.etcdj.benchmark.cmd.BenchmarkRoot;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code benchmark compare}: runs every workload of {@link Workload#referenceRows} against the
 * reference etcd cluster and against ours, in turn (etcd then ours, workload by workload, so
 * drift on a shared machine hits both alike), in this one JVM (both sides after the same JIT
 * warm-up), and prints {@link ComparisonTable}. The clusters are started and stopped by
 * {@code bench/compare}; this command only measures.
 */
@Command(name = "compare", description = "Side-by-side comparison of two running clusters (see bench/compare)")
public final class CompareCommand implements Callable<Integer> {
    @Option(names = "--etcd-endpoints", split = ",", required = true, description = "the reference cluster's client URLs")
    List<String> etcdEndpoints;

    @Option(names = "--etcd-pids", split = ",", description = "the reference members' process ids, for memory")
    List<Long> etcdPids = new ArrayList<>();

    @Option(names = "--ours-endpoints", split = ",", description = "our cluster's client URLs (omit if not running)")
    List<String> oursEndpoints = new ArrayList<>();

    @Option(names = "--ours-pids", split = ",", description = "our members' process ids, for memory")
    List<Long> oursPids = new ArrayList<>();

    @Option(names = "--ours-unavailable", description = "why our cluster is not there (printed under the table)")
    String oursUnavailable;

    @Option(names = "--scale", description = "multiplies every workload's request total (default: 1)")
    double scale = 1;

    @Option(names = "--workloads", split = ",", description = "only these workload ids (default: all)")
    List<String> only = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<Workload> workloads = new ArrayList<>();
        for (Workload w : Workload.referenceRows(scale)) {
            if (only.isEmpty() || only.contains(w.id())) {
                workloads.add(w);
            }
        }
        boolean withOurs = !oursEndpoints.isEmpty();
        ComparisonTable table = new ComparisonTable();
        if (!withOurs) {
            table.oursUnavailable(oursUnavailable == null ? "no endpoints given" : oursUnavailable);
        }
        System.err.println("compare: warming up the load generator against etcd");
        prepare(etcdEndpoints);
        runQuietly(etcdEndpoints, List.of("range", "foo", "--consistency", "s", "--conns", "10", "--clients", "100",
                "--total", Integer.toString(Math.max(1000, (int) (5000 * scale)))), "range");
        String oursPrepareFailure = withOurs ? prepare(oursEndpoints) : null;
        System.err.println("compare: warming up both clusters alike (puts and reads, not measured)");
        warmUp(etcdEndpoints);
        if (withOurs && oursPrepareFailure == null) {
            warmUp(oursEndpoints);
        }
        for (Workload w : workloads) {
            System.err.println("compare: " + w.label() + " on etcd");
            Measurement e = run(etcdEndpoints, w);
            Measurement o = Measurement.failed("not run");
            if (withOurs) {
                System.err.println("compare: " + w.label() + " on ours");
                o = oursPrepareFailure != null ? Measurement.failed(oursPrepareFailure) : run(oursEndpoints, w);
            }
            table.add(w, e, o);
        }
        table.memory(rss(etcdPids), withOurs ? rss(oursPids) : List.of());
        System.out.print(table.render());
        return 0;
    }

    /**
     * The same unmeasured load on either cluster before the first row, so both are compared in
     * their steady state (a JVM member compiles its hot paths during its first seconds of load).
     */
    private void warmUp(List<String> endpoints) {
        String total = Integer.toString(Math.max(5000, (int) (20000 * scale)));
        for (List<String> load : List.of(
                List.of("put", "--conns", "10", "--clients", "100", "--total", total),
                List.of("put", "--conns", "100", "--clients", "1000", "--total", total),
                List.of("range", "foo", "--conns", "10", "--clients", "100", "--total", total),
                List.of("range", "foo", "--consistency", "s", "--conns", "10", "--clients", "100", "--total", total),
                List.of("put", "--total", Integer.toString(Math.max(1000, (int) (3000 * scale)))))) {
            runQuietly(endpoints, load, load.get(0));
        }
    }

    /** Writes the key the get workloads read (256-byte value); returns why it failed, or null. */
    private static String prepare(List<String> endpoints) {
        Endpoint e = Endpoint.parse(endpoints.get(0));
        ManagedChannel ch = NettyChannelBuilder.forAddress(e.host(), e.port()).usePlaintext().build();
        try {
            KVGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("foo")).setValue(ByteString.copyFrom(new byte[256])).build());
            return null;
        } catch (RuntimeException ex) {
            return "cannot write the test key: " + ErrorText.of(ex);
        } finally {
            ch.shutdownNow();
        }
    }

    private static Measurement run(List<String> endpoints, Workload w) {
        List<String> args = new ArrayList<>(w.args());
        if (!w.allMembers()) {
            args.add("--target-leader");
        }
        return runQuietly(endpoints, args, w.summary());
    }

    private static Measurement runQuietly(List<String> endpoints, List<String> args, String summary) {
        List<String> full = new ArrayList<>(args);
        full.add("--endpoints=" + String.join(",", endpoints));
        full.add("--output=json");
        full.add("--no-progress");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BenchmarkRoot.execute(full.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Measurement m = Measurement.fromJsonLines(out.toString(StandardCharsets.UTF_8), summary);
        if (code != 0 && m.ok()) {
            return Measurement.failed("exit " + code + ": " + err.toString(StandardCharsets.UTF_8).trim());
        }
        if (!m.ok()) {
            String why = err.toString(StandardCharsets.UTF_8).trim();
            return Measurement.failed(why.isEmpty() ? m.failure() : why.lines().reduce((a, b) -> b).orElse(why));
        }
        return m;
    }

    private static List<OptionalLong> rss(List<Long> pids) {
        List<OptionalLong> out = new ArrayList<>();
        for (long p : pids) {
            out.add(ResidentMemory.kilobytes(p));
        }
        return out;
    }
}
