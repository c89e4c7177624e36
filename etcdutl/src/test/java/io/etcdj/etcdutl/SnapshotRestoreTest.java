package io.etcdj.etcdutl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.SnapshotRequest;
import io.etcdj.server.EtcdMember;
import io.etcdj.server.MemberSettings;
import io.etcdj.server.config.InitialCluster;
import io.etcdj.testsupport.Await;
import io.etcdj.testsupport.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Save a snapshot through a running member, restore it with etcdutl into the data dirs of a new
 * three-member cluster, start that cluster, and read every key back at the same revision.
 */
class SnapshotRestoreTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<EtcdMember> running = new ArrayList<>();
    private final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        running.forEach(EtcdMember::close);
    }

    @Test
    void aSavedSnapshotRestoresIntoANewThreeMemberClusterWithTheKeysAndTheRevision() throws Exception {
        // an original single-member cluster with some keys
        Map<String, List<URI>> original = Map.of("orig", List.of(URI.create("http://127.0.0.1:" + FreePorts.onLoopback())));
        String origClient = "http://127.0.0.1:" + FreePorts.onLoopback();
        EtcdMember orig = start(settings("orig", origClient, InitialCluster.of(original, "orig-token")));
        ManagedChannel origChannel = channel(origClient);
        Await.until(WAIT, "the original member leads", () -> orig.server().raftStatus().leader() != 0);
        KVGrpc.KVBlockingStub origKv = KVGrpc.newBlockingStub(origChannel);
        long revision = 0;
        for (int i = 0; i < 30; i++) {
            revision = origKv.put(PutRequest.newBuilder().setKey(bytes("key" + i)).setValue(bytes("value" + i)).build())
                    .getHeader().getRevision();
        }
        Path file = dir.resolve("backup.db");
        try (OutputStream out = Files.newOutputStream(file)) {
            MaintenanceGrpc.newBlockingStub(origChannel).snapshot(SnapshotRequest.getDefaultInstance())
                    .forEachRemaining(r -> {
                        try {
                            r.getBlob().writeTo(out);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }

        String status = etcdutl(0, "snapshot", "status", file.toString(), "-w", "simple");
        assertThat(status).matches("[0-9a-f]+, " + revision + ", [0-9]+, [0-9.]+ [kM]?B\n");

        // restore into three data dirs of a new cluster and start it
        Map<String, List<URI>> peers = new LinkedHashMap<>();
        List<String> clients = new ArrayList<>();
        for (String name : List.of("r1", "r2", "r3")) {
            peers.put(name, List.of(URI.create("http://127.0.0.1:" + FreePorts.onLoopback())));
            clients.add("http://127.0.0.1:" + FreePorts.onLoopback());
        }
        InitialCluster restoredCluster = InitialCluster.of(peers, "restored-token");
        String initialCluster = String.join(",", peers.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().get(0)).toList());
        int i = 0;
        for (String name : peers.keySet()) {
            etcdutl(0, "snapshot", "restore", file.toString(), "--name", name, "--data-dir", dir.resolve(name).toString(),
                    "--initial-cluster", initialCluster, "--initial-cluster-token", "restored-token",
                    "--initial-advertise-peer-urls", peers.get(name).get(0).toString());
            i++;
        }
        assertThat(etcdutl(1, "snapshot", "restore", file.toString(), "--name", "r1", "--data-dir",
                dir.resolve("r1").toString(), "--initial-cluster", initialCluster, "--initial-cluster-token", "restored-token",
                "--initial-advertise-peer-urls", peers.get("r1").get(0).toString()))
                .isEqualTo("Error: data-dir \"" + dir.resolve("r1") + "\" not empty or could not be read\n");
        orig.close();
        running.remove(orig);

        i = 0;
        List<EtcdMember> restored = new ArrayList<>();
        for (String name : peers.keySet()) {
            // restarted from the restored WAL: the --initial-cluster flags no longer matter
            restored.add(start(settings(name, clients.get(i), restoredCluster)));
            i++;
        }
        Await.until(WAIT, "the restored cluster elects a leader", () -> restored.stream().allMatch(m -> m.server().raftStatus().leader() != 0));
        for (int m = 0; m < 3; m++) {
            assertThat(restored.get(m).memberId()).isEqualTo(restoredCluster.member("r" + (m + 1)).orElseThrow().id());
            assertThat(restored.get(m).server().clusterId()).isEqualTo(restoredCluster.clusterId());
            ManagedChannel ch = channel(clients.get(m));
            RangeResponse all = KVGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .range(RangeRequest.newBuilder().setKey(bytes("key")).setRangeEnd(bytes("kez")).build());
            assertThat(all.getCount()).isEqualTo(30);
            assertThat(all.getHeader().getRevision()).isEqualTo(revision);
            assertThat(ClusterGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS)
                    .memberList(MemberListRequest.getDefaultInstance()).getMembersCount()).isEqualTo(3);
        }
        long next = KVGrpc.newBlockingStub(channel(clients.get(1))).withDeadlineAfter(20, TimeUnit.SECONDS)
                .put(PutRequest.newBuilder().setKey(bytes("after")).setValue(bytes("restore")).build())
                .getHeader().getRevision();
        assertThat(next).isEqualTo(revision + 1);
    }

    @Test
    void aSnapshotWhoseHashDoesNotMatchIsRefusedUnlessTheCheckIsSkipped() throws Exception {
        Path file = dir.resolve("not-a-snapshot.db");
        Files.write(file, new byte[512 + 32]);
        String out = etcdutl(1, "snapshot", "restore", file.toString(), "--data-dir", dir.resolve("x").toString());
        assertThat(out).contains("\trestoring snapshot\t").contains("\nError: expected sha256");
        out = etcdutl(1, "snapshot", "restore", file.toString(), "--skip-hash-check", "--data-dir", dir.resolve("y").toString());
        assertThat(out).contains("is not an etcdj snapshot file");
    }

    private String etcdutl(int expectedStatus, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(out, true, StandardCharsets.UTF_8);
        int status = EtcdutlMain.run(List.of(args), both, both);
        assertThat(status).as("etcdutl %s; output: %s", List.of(args), out).isEqualTo(expectedStatus);
        return out.toString(StandardCharsets.UTF_8);
    }

    private EtcdMember start(MemberSettings s) throws IOException {
        EtcdMember m = EtcdMember.open(s, t -> { });
        running.add(m);
        m.start();
        return m;
    }

    private ManagedChannel channel(String url) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(url.replace("http://", "")).usePlaintext().build();
        channels.add(ch);
        return ch;
    }

    private MemberSettings settings(String name, String client, InitialCluster cluster) {
        String peer = cluster.member(name).orElseThrow().peerUrlStrings().get(0);
        return new MemberSettings(name, dir.resolve(name), null, List.of(client), List.of(client), List.of(peer),
                List.of(peer), cluster, true, Duration.ofMillis(20), Duration.ofMillis(200), 10_000, 5_000, 5, 5,
                1536 * 1024, 128, true, false);
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
