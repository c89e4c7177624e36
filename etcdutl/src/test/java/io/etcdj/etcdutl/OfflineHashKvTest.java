package io.etcdj.etcdutl;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.server.EtcdMember;
import io.etcdj.server.MemberSettings;
import io.etcdj.server.config.InitialCluster;
import io.etcdj.testsupport.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code etcdutl hashkv} on the data dir of a stopped member gives the hash its running HashKV RPC
 * gave, at the current revision and at an older one after a compaction; a compacted revision and a
 * missing path are refused with etcd's errors.
 */
class OfflineHashKvTest {
    @TempDir
    Path dir;

    @Test
    void theOfflineHashIsTheOneTheMemberAnswered() throws Exception {
        String peer = "http://127.0.0.1:" + FreePorts.onLoopback();
        String client = "http://127.0.0.1:" + FreePorts.onLoopback();
        InitialCluster cluster = InitialCluster.of(Map.of("m", List.of(URI.create(peer))), "hash-token");
        MemberSettings s = new MemberSettings("m", dir.resolve("m"), null, List.of(client), List.of(client), List.of(peer),
                List.of(peer), cluster, true, Duration.ofMillis(20), Duration.ofMillis(200), 10_000, 5_000, 5, 5,
                1536 * 1024, 128, true, false);
        HashKVResponse atCurrent;
        HashKVResponse atTen;
        try (EtcdMember member = EtcdMember.open(s, t -> { })) {
            member.start();
            ManagedChannel ch = NettyChannelBuilder.forTarget(client.replace("http://", "")).usePlaintext().build();
            try {
                KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch);
                for (int i = 0; i < 20; i++) { // revisions 2..21
                    kv.put(PutRequest.newBuilder().setKey(bytes("k" + (i % 5))).setValue(bytes("v" + i)).build());
                }
                kv.compact(CompactionRequest.newBuilder().setRevision(6).setPhysical(true).build());
                MaintenanceGrpc.MaintenanceBlockingStub m = MaintenanceGrpc.newBlockingStub(ch);
                atCurrent = m.hashKV(HashKVRequest.getDefaultInstance());
                atTen = m.hashKV(HashKVRequest.newBuilder().setRevision(10).build());
            } finally {
                ch.shutdownNow();
            }
        }
        Path dataDir = dir.resolve("m");
        assertThat(etcdutl(0, "hashkv", dataDir.toString())).isEqualTo(
                Integer.toUnsignedLong(atCurrent.getHash()) + ", 21, 6\n");
        assertThat(etcdutl(0, "hashkv", dataDir.resolve("member/snap/db").toString(), "--rev", "10", "-w", "json"))
                .isEqualTo("{\"hash\":" + Integer.toUnsignedLong(atTen.getHash()) + ",\"hashRevision\":10,\"compactRevision\":6}\n");
        assertThat(etcdutl(0, "-w", "table", "hashkv", dataDir.toString(), "--rev", "10")).matches(
                "(?s)\\+-+\\+-+\\+-+\\+\n\\| +HASH +\\| HASH REVISION \\| COMPACT REVISION \\|\n.*\\| +"
                        + Integer.toUnsignedLong(atTen.getHash()) + " \\| +10 \\| +6 \\|\n\\+.*");
        assertThat(etcdutl(1, "hashkv", dataDir.toString(), "--rev", "5"))
                .isEqualTo("Error: mvcc: required revision has been compacted\n");
        assertThat(etcdutl(1, "hashkv", dir.resolve("absent").toString()))
                .isEqualTo("Error: stat " + dir.resolve("absent") + ": no such file or directory\n");
    }

    private static String etcdutl(int expectedStatus, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(out, true, StandardCharsets.UTF_8);
        int status = EtcdutlMain.run(List.of(args), both, both);
        assertThat(status).as("etcdutl %s; output: %s", List.of(args), out).isEqualTo(expectedStatus);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
