package io.etcdj.benchmark.cmd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A one-member reference etcd (Debian's etcd-server) on free 127.0.0.1 ports, for live tests.
 * Its absence is a test failure, not a skip: the benchmark's live behaviour must be checked.
 */
final class ReferenceEtcd implements AutoCloseable {
    private final Process process;
    final String endpoint;
    final Path log;

    private ReferenceEtcd(Process process, String endpoint, Path log) {
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
    }

    static ReferenceEtcd start(Path dir) throws Exception {
        Optional<Path> binary = Optional.empty();
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(entry, "etcd");
            if (!entry.isEmpty() && Files.isExecutable(candidate)) {
                binary = Optional.of(candidate);
                break;
            }
        }
        assertThat(binary).as("the reference etcd binary on PATH (apt-get install etcd-server)").isPresent();
        int clientPort = freePort();
        int peerPort = freePort();
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        Path log = dir.resolve("etcd.log");
        Process p = new ProcessBuilder(List.of(binary.get().toString(), "--name", "bench", "--data-dir",
                dir.resolve("data").toString(), "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster",
                "bench=" + peer)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ReferenceEtcd etcd = new ReferenceEtcd(p, "127.0.0.1:" + clientPort, log);
        etcd.awaitServing(60);
        return etcd;
    }

    /** Waits (with a deadline) until a linearizable range succeeds. */
    private void awaitServing(int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ManagedChannel ch = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
        try {
            while (true) {
                try {
                    KVGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
                            .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("x")).build());
                    return;
                } catch (RuntimeException e) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("reference etcd did not start serving: "
                                + Files.readString(log), e);
                    }
                    Thread.sleep(50); // polling interval of the readiness condition
                }
            }
        } finally {
            ch.shutdownNow();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
