package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.Member;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.server.bootstrap.DiscoveryRetry;
import io.etcdj.server.config.EtcdConfig;
import io.etcdj.server.config.EtcdConfigParser;
import io.etcdj.server.config.MemberIds;
import io.etcdj.server.config.StartupLog;
import io.etcdj.testsupport.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's workflow, end to end in one JVM: an etcdj member with --enable-v2 is the discovery
 * service, an operator creates a token of size 3, and three members started with only
 * {@code --discovery <token URL>} (each on its own loopback address) find each other and form one
 * cluster with the IDs etcd would give them.
 */
class DiscoveryClusterTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final DiscoveryRetry FAST = new DiscoveryRetry(5, Duration.ofMillis(10), 3);

    @TempDir
    Path root;
    DiscoveryService service;
    final List<EtcdMember> members = new ArrayList<>();
    final List<ManagedChannel> channels = new ArrayList<>();
    final List<Throwable> fatal = new ArrayList<>();

    @AfterEach
    void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        members.forEach(m -> {
            if (m != null) {
                m.close();
            }
        });
        if (service != null) {
            service.close();
        }
    }

    /** One member's command line: bin/etcd --name dN ... --discovery URL (fast raft timing). */
    record MemberFlags(String name, String clientUrl, String peerUrl, Path dataDir, String[] args) {}

    MemberFlags flags(int i, String discoveryUrl) {
        String host = "127.0.0." + (i + 1);
        String client = "http://" + host + ":" + FreePorts.on(host);
        String peer = "http://" + host + ":" + FreePorts.on(host);
        Path dataDir = root.resolve("d" + i + ".etcd");
        return new MemberFlags("d" + i, client, peer, dataDir, new String[] {"--name", "d" + i,
                "--data-dir", dataDir.toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--discovery", discoveryUrl, "--discovery-fallback", "exit",
                "--heartbeat-interval", "20", "--election-timeout", "200"});
    }

    /** What bin/etcd does with these flags: parse, discover if new, open and start the member. */
    EtcdMember startLikeBinEtcd(MemberFlags f, StartupLog log) throws Exception {
        EtcdConfig config = EtcdConfigParser.parse(f.args(), Map.of(), StartupLog.NONE);
        boolean initialized = Files.isDirectory(config.dataDir().resolve("member"));
        MemberSettings settings = EtcdMain.bootstrapSettings(config, initialized, FAST, log);
        EtcdMember m = EtcdMember.open(settings, t -> {
            synchronized (fatal) {
                fatal.add(t);
            }
        });
        m.start();
        return m;
    }

    ManagedChannel channel(MemberFlags f) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(f.clientUrl().replace("http://", "")).usePlaintext().build();
        channels.add(ch);
        return ch;
    }

    @Test
    void threeMembersStartedWithOnlyADiscoveryUrlFormOneCluster() throws Exception {
        service = DiscoveryService.start(root.resolve("service"));
        threeMembersFormOneClusterThroughTheService();
    }

    @Test
    void theReferenceEtcdServesAsTheDiscoveryServiceToo() throws Exception {
        service = DiscoveryService.startReference(root.resolve("reference"));
        threeMembersFormOneClusterThroughTheService();
    }

    void threeMembersFormOneClusterThroughTheService() throws Exception {
        String token = service.newToken(3);
        List<MemberFlags> flags = List.of(flags(1, token), flags(2, token), flags(3, token));

        StartupLog.Recording firstLog = new StartupLog.Recording();
        CompletableFuture<EtcdMember> first = CompletableFuture.supplyAsync(() -> start(flags.get(0), firstLog));
        EtcdCluster.awaitCondition(WAIT, "d1 registered and waiting for 2 more", () -> firstLog.entries().stream()
                .anyMatch(e -> e.message().equals("found peers from discovery server; waiting for more")
                        && Long.valueOf(2).equals(e.fields().get("needed-peers"))));
        assertThat(first).isNotDone();
        CompletableFuture<EtcdMember> second = CompletableFuture.supplyAsync(
                () -> start(flags.get(1), StartupLog.NONE));
        CompletableFuture<EtcdMember> third = CompletableFuture.supplyAsync(
                () -> start(flags.get(2), StartupLog.NONE));
        for (CompletableFuture<EtcdMember> f : List.of(first, second, third)) {
            members.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }

        // every member bootstrapped the same three-member cluster, IDs hashed with the discovery URL
        for (int i = 0; i < 3; i++) {
            MemberFlags f = flags.get(i);
            assertThat(members.get(i).memberId()).isEqualTo(MemberIds.memberId(List.of(f.peerUrl()), token));
            assertThat(members.get(i).settings().initialCluster().toString())
                    .isEqualTo("d1=" + flags.get(0).peerUrl() + ",d2=" + flags.get(1).peerUrl()
                            + ",d3=" + flags.get(2).peerUrl());
        }
        EtcdCluster.awaitCondition(WAIT, "all three members listed with their names and client URLs", () -> {
            MemberListResponse list = ClusterGrpc.newBlockingStub(channel(flags.get(0)))
                    .withDeadlineAfter(5, TimeUnit.SECONDS).memberList(MemberListRequest.getDefaultInstance());
            return list.getMembersCount() == 3 && list.getMembersList().stream()
                    .allMatch(m -> !m.getName().isEmpty() && m.getClientURLsCount() == 1);
        });
        MemberListResponse list = ClusterGrpc.newBlockingStub(channel(flags.get(2)))
                .withDeadlineAfter(5, TimeUnit.SECONDS).memberList(MemberListRequest.getDefaultInstance());
        assertThat(list.getMembersList()).extracting(Member::getName).containsExactlyInAnyOrder("d1", "d2", "d3");
        for (MemberFlags f : flags) {
            assertThat(list.getMembersList()).anyMatch(m -> m.getPeerURLsList().equals(List.of(f.peerUrl()))
                    && m.getClientURLsList().equals(List.of(f.clientUrl()))
                    && m.getID() == MemberIds.memberId(List.of(f.peerUrl()), token));
        }

        KVGrpc.newBlockingStub(channel(flags.get(0))).withDeadlineAfter(10, TimeUnit.SECONDS)
                .put(PutRequest.newBuilder().setKey(utf8("greeting")).setValue(utf8("hello")).build());
        assertThat(KVGrpc.newBlockingStub(channel(flags.get(2))).withDeadlineAfter(10, TimeUnit.SECONDS)
                .range(RangeRequest.newBuilder().setKey(utf8("greeting")).build()).getKvs(0).getValue())
                .isEqualTo(utf8("hello"));

        // a restart on the data dir ignores discovery (a new run would find its own ID registered)
        members.get(0).close();
        members.set(0, null);
        members.set(0, startLikeBinEtcd(flags.get(0), StartupLog.NONE));
        EtcdCluster.awaitCondition(WAIT, "restarted d1 serves the replicated key", () -> !KVGrpc
                .newBlockingStub(channel(flags.get(0))).withDeadlineAfter(5, TimeUnit.SECONDS)
                .range(RangeRequest.newBuilder().setKey(utf8("greeting")).setSerializable(true).build())
                .getKvsList().isEmpty());
        synchronized (fatal) {
            assertThat(fatal).isEmpty();
        }
    }

    EtcdMember start(MemberFlags f, StartupLog log) {
        try {
            return startLikeBinEtcd(f, log);
        } catch (Exception e) {
            throw new RuntimeException(f.name() + " did not start", e);
        }
    }

    static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
