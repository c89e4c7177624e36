package io.etcdj.benchmark.cmd;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.OperatingSystemMXBean;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.benchmark.compare.Measurement;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How fast the load generator itself is: the put and range commands against a server that
 * answers at once (in this JVM, on 127.0.0.1), with etcd's 10 conns x 100 clients shape. Prints
 * requests/sec and the JVM's CPU time per request; asserts only that every request completed,
 * because absolute speed depends on the machine (the figures are quoted in benchmark/README.md).
 */
class LoadGeneratorHeadroomTest {
    @Test
    void against_an_instant_server_the_generator_sustains_its_own_rate() throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).directExecutor()
                .addService(new KVGrpc.KVImplBase() {
                    @Override
                    public void put(PutRequest request, StreamObserver<PutResponse> response) {
                        response.onNext(PutResponse.getDefaultInstance());
                        response.onCompleted();
                    }

                    @Override
                    public void range(RangeRequest request, StreamObserver<RangeResponse> response) {
                        response.onNext(RangeResponse.getDefaultInstance());
                        response.onCompleted();
                    }
                }).build().start();
        try {
            String endpoint = "--endpoints=127.0.0.1:" + server.getPort();
            run(endpoint, "put", "--total=20000", "--key-size=8", "--val-size=256"); // JIT warm-up
            for (String cmd : new String[] {"put", "range"}) {
                long cpu0 = processCpuNanos();
                Measurement m = run(endpoint, cmd, "--total=40000", "--key-size=8", "--val-size=256");
                long cpu = processCpuNanos() - cpu0;
                System.out.printf("headroom %s: %.0f req/s, p50 %.3f ms, p99 %.3f ms, %.1f us CPU/request"
                        + " (client and instant server together)%n", cmd, m.rps(), m.p50() * 1e3, m.p99() * 1e3,
                        cpu / 1e3 / 40000);
                assertThat(m.requests()).isEqualTo(40000);
                assertThat(m.errors()).isZero();
            }
        } finally {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static Measurement run(String endpoint, String cmd, String... flags) {
        String[] args = new String[flags.length + 7];
        args[0] = cmd;
        int i = 1;
        if (cmd.equals("range")) {
            args = new String[] {"range", "foo", "--total=40000", endpoint, "--conns=10", "--clients=100",
                "--output=json", "--no-progress"};
        } else {
            for (String f : flags) {
                args[i++] = f;
            }
            args[i++] = endpoint;
            args[i++] = "--conns=10";
            args[i++] = "--clients=100";
            args[i++] = "--output=json";
            args[i++] = "--no-progress";
            args = Arrays.copyOf(args, i);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = BenchmarkRoot.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertThat(code).isZero();
        return Measurement.fromJsonLines(out.toString(StandardCharsets.UTF_8), cmd);
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
