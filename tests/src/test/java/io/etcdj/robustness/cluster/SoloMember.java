package io.etcdj.robustness.cluster;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.testsupport.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A one-member cluster on 127.0.0.1 over a data dir of its own, for tests of what a member does
 * with its disk: it is started, killed and started again as a process, each run appending to one
 * log; {@link #close()} kills it and deletes the data dir.
 */
public final class SoloMember implements AutoCloseable {
    private final MemberLauncher launcher;
    private final Path root;
    private final Path log;
    private int clientPort;
    private int peerPort;
    private Process process;
    private ManagedChannel channel;

    public SoloMember(MemberLauncher launcher) throws IOException {
        launcher.requireExecutable();
        this.launcher = launcher;
        this.root = Files.createTempDirectory("etcdj-solo-");
        this.log = root.resolve("member.log");
    }

    public Path dataDir() {
        return root.resolve("s1.etcd");
    }

    public Path walDir() {
        return dataDir().resolve("member/wal");
    }

    public Path snapDir() {
        return dataDir().resolve("member/snap");
    }

    /** Starts the member on its data dir, on fresh ports. */
    public void start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        clientPort = FreePorts.onLoopback();
        peerPort = FreePorts.onLoopback();
        process = launch(dataDir(), clientPort, peerPort, log);
        if (channel != null) {
            channel.shutdownNow();
        }
        channel = NettyChannelBuilder.forAddress("127.0.0.1", clientPort).usePlaintext().build();
    }

    /** Another process started on the same data dir with ports of its own; its output goes to {@code out}. */
    public Process startIntruder(Path out) throws IOException {
        return launch(dataDir(), FreePorts.onLoopback(), FreePorts.onLoopback(), out);
    }

    private Process launch(Path dataDir, int client, int peer, Path out) throws IOException {
        String clientUrl = "http://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        List<String> cmd = launcher.command(Map.of("name", "s1", "dataDir", dataDir.toString(),
                "clientUrl", clientUrl, "peerListenUrl", peerUrl, "peerAdvertiseUrl", peerUrl,
                "initialCluster", "s1=" + peerUrl, "clusterToken", "solo"));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
    }

    /** Waits until a linearizable read succeeds, or fails if the process ends first. */
    public void awaitServing(Duration timeout) {
        LocalCluster.await("the member serving linearizable reads", timeout, () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the member exited with status " + process.exitValue() + ":\n" + logTail(20));
            }
            channel.resetConnectBackoff();
            try {
                kv(1).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("health")).build());
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
    }

    public ManagedChannel channel() {
        return channel;
    }

    public KVGrpc.KVBlockingStub kv(int timeoutSeconds) {
        return KVGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutSeconds, TimeUnit.SECONDS);
    }

    public long put(String key, String value) {
        return kv(5).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value)).build()).getHeader().getRevision();
    }

    /** The value of {@code key}, or null. */
    public String get(String key) {
        var r = kv(5).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build());
        return r.getKvsCount() == 0 ? null : r.getKvs(0).getValue().toStringUtf8();
    }

    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Waits for the process to end by itself; its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the member still runs after " + timeout + ":\n" + logTail(20));
        }
        return process.exitValue();
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    public String logTail(int lines) {
        return tail(log, lines);
    }

    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (channel != null) {
            channel.shutdownNow();
        }
        if (!Boolean.getBoolean("robustness.keepDataDirs")) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
