package io.etcdj.benchmark.cmd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.benchmark.compare.Measurement;
import io.etcdj.testsupport.ReferenceEtcd;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Short live runs of the benchmark commands against a reference etcd started for the test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveReferenceEtcdTest {
    private ReferenceEtcd etcd;

    @BeforeAll
    void startEtcd(@TempDir Path dir) throws Exception {
        etcd = ReferenceEtcd.builder().name("bench").dir(dir).start();
    }

    @AfterAll
    void stopEtcd() throws Exception {
        if (etcd != null) {
            etcd.close();
        }
    }

    private record Run(int code, String out, String err) {}

    private Run bench(String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.add("--endpoints=" + etcd.endpoint());
        full.add("--no-progress");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BenchmarkRoot.execute(full.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void put_writes_the_keys_it_says_and_prints_etcds_summary() throws Exception {
        Run r = bench("put", "--total=300", "--conns=2", "--clients=6", "--key-size=8", "--val-size=16",
                "--sequential-keys", "--key-space-size=20", "--prefix=put/");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("\nSummary:\n  Total:\t").contains("  Requests/sec:\t", "\nResponse time histogram:\n",
                "\nLatency distribution:\n", "  50% in ").doesNotContain("Error distribution");
        ManagedChannel ch = NettyChannelBuilder.forTarget(etcd.endpoint()).usePlaintext().build();
        try {
            RangeResponse keys = KVGrpc.newBlockingStub(ch).range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("put/")).setRangeEnd(ByteString.copyFromUtf8("put0")).build());
            assertThat(keys.getCount()).isEqualTo(20);
            assertThat(keys.getKvs(0).getKey().size()).isEqualTo(4 + 8);
            assertThat(keys.getKvs(0).getValue().size()).isEqualTo(16);
            assertThat(keys.getHeader().getRevision()).isGreaterThanOrEqualTo(300);
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void range_runs_linearizable_and_serializable_with_json_output() {
        for (String consistency : List.of("l", "s")) {
            Run r = bench("range", "foo", "--consistency=" + consistency, "--total=300", "--clients=4", "--output=json");
            assertThat(r.code()).as(r.err()).isZero();
            Measurement m = Measurement.fromJsonLines(r.out(), "range");
            assertThat(m.ok()).isTrue();
            assertThat(m.requests()).isEqualTo(300);
            assertThat(m.errors()).isZero();
            assertThat(m.rps()).isPositive();
        }
        Run text = bench("range", "foo", "--consistency=s", "--total=10");
        assertThat(text.out()).startsWith("bench with serializable range\n\nSummary:\n");
    }

    @Test
    void the_other_kv_commands_complete_their_totals() {
        assertCompletes(bench("txn-put", "--total=100", "--clients=4", "--txn-ops=3", "--key-space-size=10",
                "--output=json"), "txn-put", 100);
        Run mixed = bench("txn-mixed", "--total=100", "--clients=4", "--key-space-size=10", "--output=json");
        assertThat(mixed.code()).as(mixed.err()).isZero();
        assertThat(Measurement.fromJsonLines(mixed.out(), "txn-mixed-read").requests()
                + Measurement.fromJsonLines(mixed.out(), "txn-mixed-write").requests()).isEqualTo(100);
        assertCompletes(bench("stm", "--total=50", "--clients=4", "--keys=5", "--keys-per-txn=2", "--output=json"),
                "stm", 50);
        assertCompletes(bench("stm", "--total=30", "--clients=3", "--keys=3", "--isolation=ss", "--output=json"),
                "stm", 30);
        assertCompletes(bench("lease-keepalive", "--total=100", "--clients=3", "--output=json"), "lease-keepalive", 100);
    }

    @Test
    void watch_commands_deliver_every_event() {
        Run w = bench("watch", "--streams=2", "--watch-per-stream=5", "--put-total=20", "--conns=2", "--clients=2",
                "--output=json");
        assertThat(w.code()).as(w.err()).isZero();
        assertThat(Measurement.fromJsonLines(w.out(), "watch-make").requests()).isEqualTo(10);
        assertThat(Measurement.fromJsonLines(w.out(), "watch-put").requests()).isEqualTo(200);
        Run lat = bench("watch-latency", "--streams=2", "--watchers-per-stream=2", "--put-total=20", "--put-rate=200",
                "--output=json");
        assertThat(lat.code()).as(lat.err()).isZero();
        assertThat(Measurement.fromJsonLines(lat.out(), "watch-latency-watch").requests()).isEqualTo(80);
        Run get = bench("watch-get", "--watchers=50", "--streams=2", "--events=4", "--output=json");
        assertThat(get.code()).as(get.err()).isZero();
        assertThat(Measurement.fromJsonLines(get.out(), "watch-get").ok()).isTrue();
    }

    @Test
    void target_leader_finds_the_single_member() {
        assertCompletes(bench("put", "--total=20", "--target-leader", "--output=json"), "put", 20);
    }

    private static void assertCompletes(Run r, String summary, long requests) {
        assertThat(r.code()).as(r.err()).isZero();
        Measurement m = Measurement.fromJsonLines(r.out(), summary);
        assertThat(m.requests()).as(r.out()).isEqualTo(requests);
        assertThat(m.errors()).as(r.out()).isZero();
    }
}
