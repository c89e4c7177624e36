package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.v3electionpb.CampaignRequest;
import io.etcdj.api.v3lockpb.LockRequest;
import io.etcdj.server.GrpcTransportErrorsDifferentialTest.Client;
import io.etcdj.server.GrpcTransportErrorsDifferentialTest.ReferenceProxy;
import io.etcdj.server.proxy.grpcproxy.GrpcProxy;
import io.etcdj.testsupport.Await;
import io.etcdj.testsupport.FreePorts;
import io.etcdj.testsupport.ReferenceEtcd;
import io.grpc.CallOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client sees when the grpc-timeout it sent passes while the server still works on the
 * call, the same requests to the reference etcd 3.4.23 and to our members: a lock or an election
 * already held, a watch, and on a member whose cluster lost its quorum (three members, two
 * stopped, no leader left) a put, a lease grant and a linearizable read. The client keeps a local
 * deadline far beyond the grpc-timeout it sends (a gRPC client would otherwise end the call itself
 * and hide the server's answer, so the timed calls are made with curl, {@link CurlGrpcCall}), so
 * each line is the status the server sent.
 */
class GrpcDeadlineDifferentialTest {
    /** The grpc-timeout sent; curl itself gives up after 10 s. */
    private static final long SERVER_TIMEOUT_MILLIS = 300;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void waitsOnAHealthyMemberEndWithEtcdsStatus() throws Exception {
        List<String> reference;
        try (io.etcdj.server.gateway.ReferenceEtcd etcd = new io.etcdj.server.gateway.ReferenceEtcd()) {
            reference = waits("127.0.0.1:" + etcd.clientPort);
        }
        List<String> ours;
        try (EtcdCluster c = EtcdCluster.start(dir, 1)) {
            c.awaitLeader(WAIT);
            ours = waits(endpoint(c, 0));
        }
        assertSame(reference, ours);
    }

    @Test
    void waitsThroughTheGrpcProxyEndAsThroughEtcdsProxy() throws Exception {
        List<String> reference;
        try (io.etcdj.server.gateway.ReferenceEtcd etcd = new io.etcdj.server.gateway.ReferenceEtcd();
             ReferenceProxy proxy = new ReferenceProxy(etcd.clientPort)) {
            reference = waits(proxy.endpoint);
        }
        List<String> ours;
        try (EtcdCluster c = EtcdCluster.start(dir, 1);
             GrpcProxy proxy = GrpcProxy.to(List.of(c.clientUrl(0)), GrpcProxy.UpstreamTls.NONE, "")) {
            c.awaitLeader(WAIT);
            proxy.start(new InetSocketAddress("127.0.0.1", 0), null);
            ours = waits("127.0.0.1:" + proxy.address().getPort());
        }
        assertSame(reference, ours);
    }

    @Test
    void requestsToAMemberWithoutQuorumEndWithEtcdsStatus() throws Exception {
        List<String> reference;
        List<ReferenceEtcd> members = referenceCluster();
        try {
            members.get(1).stop();
            members.get(2).stop();
            reference = withoutQuorum(members.get(0).endpoint());
        } finally {
            members.forEach(ReferenceEtcd::close);
        }
        List<String> ours;
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            c.awaitLeader(WAIT);
            c.stopMember(1);
            c.stopMember(2);
            ours = withoutQuorum(endpoint(c, 0));
        }
        assertSame(reference, ours);
    }

    /**
     * Ours only (which of etcd's texts the reference picks depends on when its leader notices the
     * links are down): a put the leader proposed but cannot commit, its followers gone, gets the
     * request timeout's words at the grpc-timeout, as etcd's proposal wait answers, not "context
     * deadline exceeded". Elections are slow here, so the leader is still leading when it expires.
     */
    @Test
    void aProposalRaftTookEndsWithTheRequestTimeoutsWords() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 3, 10_000, 5_000,
                s -> s.withRaftTiming(Duration.ofMillis(100), Duration.ofMillis(1500)))) {
            int leader = c.awaitLeader(WAIT);
            for (int i = 0; i < 3; i++) {
                if (i != leader) {
                    c.stopMember(i);
                }
            }
            String put = timed(endpoint(c, leader), "etcdserverpb.KV/Put", PutRequest.newBuilder()
                    .setKey(utf8("k")).setValue(utf8("v")).build());
            assertThat(c.server(leader).raftStatus().leader()).as("still leading").isNotZero();
            assertThat(put).startsWith("0 answers, then UNAVAILABLE: etcdserver: request timed out");
            // once it steps down, it stops at once (a leader would first try to hand its place over)
            Await.until(WAIT, "the leader to step down", () -> c.server(leader).raftStatus().leader() == 0);
        }
    }

    /** A lock and an election someone else holds, and a watch: each wait ends with the deadline. */
    private static List<String> waits(String endpoint) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Client c = new Client(endpoint)) {
            long holder = grant(c);
            long waiter = grant(c);
            byte[] lock = LockRequest.newBuilder().setName(utf8("lk")).setLease(holder).build().toByteArray();
            lines.add("lock, free: " + c.unary("v3lockpb.Lock/Lock", lock, CallOptions.DEFAULT));
            lines.add("lock, held: " + timed(endpoint, "v3lockpb.Lock/Lock",
                    LockRequest.newBuilder().setName(utf8("lk")).setLease(waiter).build()));
            lines.add("lock keys left: " + count(c, "lk/"));
            byte[] campaign = CampaignRequest.newBuilder().setName(utf8("el")).setLease(holder).setValue(utf8("a"))
                    .build().toByteArray();
            lines.add("campaign, free: " + c.unary("v3electionpb.Election/Campaign", campaign, CallOptions.DEFAULT));
            lines.add("campaign, held: " + timed(endpoint, "v3electionpb.Election/Campaign", CampaignRequest.newBuilder()
                    .setName(utf8("el")).setLease(waiter).setValue(utf8("b")).build()));
            lines.add("election keys left: " + count(c, "el/"));
            lines.add("serializable range: " + timed(endpoint, "etcdserverpb.KV/Range", serializableRange()));
            lines.add("watch: " + timed(endpoint, "etcdserverpb.Watch/Watch", WatchRequest.newBuilder()
                    .setCreateRequest(WatchCreateRequest.newBuilder().setKey(utf8("w"))).build()));
            lines.add("lease keep-alive: " + timed(endpoint, "etcdserverpb.Lease/LeaseKeepAlive",
                    LeaseKeepAliveRequest.newBuilder().setID(holder).build()));
        }
        return lines;
    }

    /** Once the member knows no leader: proposals and linearizable reads wait until the deadline. */
    private static List<String> withoutQuorum(String endpoint) throws Exception {
        List<String> lines = new ArrayList<>();
        try (Client c = new Client(endpoint)) {
            Await.until(WAIT, "the member to know no leader", () -> leader(c) == 0);
            lines.add("put: " + timed(endpoint, "etcdserverpb.KV/Put", PutRequest.newBuilder().setKey(utf8("k"))
                    .setValue(utf8("v")).build()));
            lines.add("lease grant: " + timed(endpoint, "etcdserverpb.Lease/LeaseGrant",
                    LeaseGrantRequest.newBuilder().setTTL(60).build()));
            lines.add("linearizable range: " + timed(endpoint, "etcdserverpb.KV/Range",
                    RangeRequest.newBuilder().setKey(utf8("k")).build()));
            lines.add("serializable range: " + timed(endpoint, "etcdserverpb.KV/Range", serializableRange()));
            lines.add("status: " + timed(endpoint, "etcdserverpb.Maintenance/Status",
                    StatusRequest.getDefaultInstance()));
        }
        return lines;
    }

    /** One call whose grpc-timeout is {@link #SERVER_TIMEOUT_MILLIS}, made with curl (see {@link CurlGrpcCall}). */
    private static String timed(String endpoint, String method, MessageLite request) throws Exception {
        return CurlGrpcCall.describe(endpoint, method, SERVER_TIMEOUT_MILLIS + "m", request.toByteArray());
    }

    /** Three reference members on loopback, once all of them are healthy. */
    private List<ReferenceEtcd> referenceCluster() throws Exception {
        int[] ports = new int[6];
        StringBuilder cluster = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            ports[2 * i] = FreePorts.onLoopback();
            ports[2 * i + 1] = FreePorts.onLoopback();
            cluster.append(i == 0 ? "" : ",").append("m").append(i).append("=http://127.0.0.1:").append(ports[2 * i + 1]);
        }
        List<ReferenceEtcd> members = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                int[] next = {2 * i};
                members.add(ReferenceEtcd.builder().name("m" + i).dir(dir.resolve("ref-m" + i))
                        .ports(() -> ports[next[0]++])
                        .flags("--initial-cluster", cluster.toString(), "--heartbeat-interval=20", "--election-timeout=200")
                        .readyWhen(m -> true) // none is healthy before a quorum is up
                        .start());
            }
            for (ReferenceEtcd m : members) {
                Await.until(WAIT, m.endpoint() + " healthy", m::isHealthy);
            }
            return members;
        } catch (Exception | Error e) {
            members.forEach(ReferenceEtcd::close);
            throw e;
        }
    }

    private static long leader(Client c) {
        try {
            return StatusResponse.parseFrom(c.unaryBytes("etcdserverpb.Maintenance/Status", new byte[0])).getLeader();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static long grant(Client c) throws Exception {
        return LeaseGrantResponse.parseFrom(c.unaryBytes("etcdserverpb.Lease/LeaseGrant",
                LeaseGrantRequest.newBuilder().setTTL(60).build().toByteArray())).getID();
    }

    private static long count(Client c, String prefix) throws Exception {
        ByteString key = utf8(prefix);
        ByteString end = key.substring(0, key.size() - 1).concat(ByteString.copyFrom(new byte[] {(byte) (prefix.charAt(
                prefix.length() - 1) + 1)}));
        return RangeResponse.parseFrom(c.unaryBytes("etcdserverpb.KV/Range", RangeRequest.newBuilder().setKey(key)
                .setRangeEnd(end).setCountOnly(true).build().toByteArray())).getCount();
    }

    private static RangeRequest serializableRange() {
        return RangeRequest.newBuilder().setKey(utf8("k")).setSerializable(true).build();
    }

    private static ByteString utf8(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static String endpoint(EtcdCluster c, int i) {
        URI url = URI.create(c.clientUrl(i));
        return url.getHost() + ":" + url.getPort();
    }

    private static void assertSame(List<String> reference, List<String> ours) {
        System.out.println("reference etcd's transcript:\n" + String.join("\n", reference));
        assertThat(String.join("\n", ours)).isEqualTo(String.join("\n", reference));
    }
}
