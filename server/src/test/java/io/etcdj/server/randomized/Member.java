package io.etcdj.server.randomized;

import com.google.protobuf.Message;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseLeasesRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.testsupport.ReferenceEtcd;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One single-member cluster as the test talks to it: the process (the reference etcd, or ours run
 * from this test's classpath with the same flags), a plaintext gRPC channel, its {@link LeaseIds}
 * and one {@link WatchStream}. Unary requests are written with the reference's lease IDs.
 */
final class Member implements AutoCloseable {
    /** Both members run with these flags (beside the single-member ones the fixture adds). */
    static final List<String> FLAGS = List.of("--max-request-bytes=" + KeySpace.MAX_REQUEST_BYTES,
            "--max-txn-ops=" + RandomRequests.MAX_TXN_OPS);
    private static final long CALL_SECONDS = 30;

    final String name;
    final LeaseIds leaseIds = new LeaseIds();
    private final ReferenceEtcd process;
    private final ManagedChannel channel;
    final WatchStream watches;

    private Member(String name, ReferenceEtcd process) {
        this.name = name;
        this.process = process;
        this.channel = NettyChannelBuilder.forTarget(process.endpoint()).usePlaintext().build();
        this.watches = new WatchStream(channel, leaseIds);
    }

    static Member reference() throws IOException {
        return new Member("reference etcd", ReferenceEtcd.builder().flags(FLAGS.toArray(String[]::new))
                .timeout(Duration.ofSeconds(60)).start());
    }

    static Member ours() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new Member("our member", ReferenceEtcd.builder()
                .launcher(java, "-cp", System.getProperty("java.class.path"), "io.etcdj.server.EtcdMain")
                .flags(FLAGS.toArray(String[]::new)).timeout(Duration.ofSeconds(90)).start());
    }

    /** Sends {@code request} (written with the reference's lease IDs) and returns what came back. */
    Answer call(Message request) {
        Message r = leaseIds.toOurs(request);
        var kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
        var lease = LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(CALL_SECONDS, TimeUnit.SECONDS);
        try {
            if (r instanceof RangeRequest q) {
                return Answer.of(kv.range(q));
            } else if (r instanceof PutRequest q) {
                return Answer.of(kv.put(q));
            } else if (r instanceof DeleteRangeRequest q) {
                return Answer.of(kv.deleteRange(q));
            } else if (r instanceof TxnRequest q) {
                return Answer.of(kv.txn(q));
            } else if (r instanceof CompactionRequest q) {
                return Answer.of(kv.compact(q));
            } else if (r instanceof LeaseGrantRequest q) {
                return Answer.of(lease.leaseGrant(q));
            } else if (r instanceof LeaseRevokeRequest q) {
                return Answer.of(lease.leaseRevoke(q));
            } else if (r instanceof LeaseTimeToLiveRequest q) {
                return Answer.of(lease.leaseTimeToLive(q));
            } else if (r instanceof LeaseLeasesRequest q) {
                return Answer.of(lease.leaseLeases(q));
            }
            throw new IllegalArgumentException("not a request the test sends: " + r);
        } catch (StatusRuntimeException e) {
            return Answer.failed(e.getStatus());
        }
    }

    /** Its output so far, for a failure message. */
    String log() {
        return process.log();
    }

    @Override
    public void close() {
        watches.close();
        channel.shutdownNow();
        process.close();
    }
}
