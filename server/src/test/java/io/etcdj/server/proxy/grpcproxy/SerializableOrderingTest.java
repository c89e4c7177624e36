package io.etcdj.server.proxy.grpcproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --experimental-serializable-ordering} over two fake members whose store revisions the
 * scenario sets: once the proxy answered at some revision, an answer from a member that is behind
 * is never relayed; the other member answers instead, or, when both are behind, the client gets
 * etcd's "no cluster members have a revision higher" error; cached answers obey the same floor.
 * Without the flag, the member that is behind is relayed as it is (the control case).
 */
class SerializableOrderingTest {
    private static final long DEADLINE_SECONDS = 10;

    private final List<AutoCloseable> open = new ArrayList<>();
    private final FakeMember a = new FakeMember();
    private final FakeMember b = new FakeMember();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void aMemberThatIsBehindIsNeverRelayedOnceTheProxyAnsweredAtAHigherRevision() throws Exception {
        KVGrpc.KVBlockingStub kv = client(proxyOver(true));
        a.revision.set(10);
        b.revision.set(10);
        readUntilBothMembersAnswered(kv);

        a.revision.set(5); // a falls behind (a partitioned follower), b moves on
        b.revision.set(12);
        for (int i = 0; i < 6; i++) { // the round robin sends some of these to a (see the control case)
            assertThat(serializable(kv, "k" + i).getHeader().getRevision()).isEqualTo(12);
        }

        b.revision.set(8); // now both are behind the 12 already answered
        assertThatThrownBy(() -> serializable(kv, "both-behind")).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNKNOWN);
                    assertThat(e.getStatus().getDescription()).isEqualTo(RevisionOrdering.NO_GREATER_REV);
                });

        a.revision.set(13); // a catches up
        assertThat(serializable(kv, "caught-up").getHeader().getRevision()).isEqualTo(13);
        TxnRequest readOnly = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder()
                .setRequestRange(RangeRequest.newBuilder().setKey(bytes("t")).setSerializable(true))).build();
        assertThat(kv.txn(readOnly).getHeader().getRevision()).isEqualTo(13);
    }

    @Test
    void aCachedAnswerBelowTheFloorIsNotGivenAgain() throws Exception {
        KVGrpc.KVBlockingStub kv = client(proxyOver(true));
        a.revision.set(13);
        b.revision.set(13);
        assertThat(serializable(kv, "cached").getHeader().getRevision()).isEqualTo(13);
        int asked = a.ranges.get() + b.ranges.get();
        assertThat(serializable(kv, "cached").getHeader().getRevision()).isEqualTo(13);
        assertThat(a.ranges.get() + b.ranges.get()).as("the second read came from the cache").isEqualTo(asked);

        a.revision.set(20);
        b.revision.set(20);
        assertThat(serializable(kv, "other").getHeader().getRevision()).isEqualTo(20);
        assertThat(serializable(kv, "cached").getHeader().getRevision())
                .as("the answer cached at 13 is below the floor of 20").isEqualTo(20);
    }

    @Test
    void aWriteRaisesTheFloorAndIsNeverSentTwice() throws Exception {
        KVGrpc.KVBlockingStub kv = client(proxyOver(true));
        a.revision.set(30);
        b.revision.set(30);
        assertThat(kv.put(PutRequest.newBuilder().setKey(bytes("w")).build()).getHeader().getRevision()).isEqualTo(30);
        TxnRequest write = TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder()
                .setRequestPut(PutRequest.newBuilder().setKey(bytes("w")))).build();
        a.revision.set(31);
        b.revision.set(31);
        assertThat(kv.txn(write).getHeader().getRevision()).isEqualTo(31);
        assertThat(a.txns.get() + b.txns.get()).isEqualTo(1);

        a.revision.set(25);
        b.revision.set(25);
        assertThatThrownBy(() -> serializable(kv, "after-write")).isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining(RevisionOrdering.NO_GREATER_REV);
    }

    @Test
    void recoveryStartsTheFloorAtTheClustersRevision() throws Exception {
        GrpcProxy proxy = proxyOver(true);
        a.revision.set(40);
        b.revision.set(40);
        proxy.recoverOrdering(Duration.ofSeconds(DEADLINE_SECONDS));
        a.revision.set(35);
        b.revision.set(35);
        assertThatThrownBy(() -> serializable(client(proxy), "first-read")).isInstanceOf(StatusRuntimeException.class)
                .hasMessageContaining(RevisionOrdering.NO_GREATER_REV);
    }

    @Test
    void withoutTheFlagTheMemberBehindIsRelayedAsItIs() throws Exception {
        KVGrpc.KVBlockingStub kv = client(proxyOver(false));
        a.revision.set(10);
        b.revision.set(10);
        readUntilBothMembersAnswered(kv);
        a.revision.set(5);
        List<Long> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seen.add(serializable(kv, "k" + i).getHeader().getRevision());
        }
        assertThat(seen).contains(5L);
    }

    /** Serializable reads of fresh keys until each member has answered one (the round robin has both). */
    private void readUntilBothMembersAnswered(KVGrpc.KVBlockingStub kv) {
        for (int i = 0; i < 100 && (a.ranges.get() == 0 || b.ranges.get() == 0); i++) {
            serializable(kv, "warm-up-" + i);
        }
        assertThat(a.ranges.get()).isPositive();
        assertThat(b.ranges.get()).isPositive();
    }

    private static RangeResponse serializable(KVGrpc.KVBlockingStub kv, String key) {
        return kv.range(RangeRequest.newBuilder().setKey(bytes(key)).setSerializable(true).build());
    }

    private GrpcProxy proxyOver(boolean ordering) throws IOException {
        List<String> endpoints = List.of(a.start(), b.start());
        GrpcProxy proxy = GrpcProxy.to(endpoints, GrpcProxy.UpstreamTls.NONE, "",
                new GrpcProxy.UpstreamOptions(1572864, Integer.MAX_VALUE, ordering));
        open.add(0, proxy);
        proxy.start(new InetSocketAddress("127.0.0.1", 0), null);
        return proxy;
    }

    private KVGrpc.KVBlockingStub client(GrpcProxy proxy) {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", proxy.address().getPort()).usePlaintext().build();
        open.add(0, ch::shutdownNow);
        return KVGrpc.newBlockingStub(ch).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    /** A member's KV service reduced to its store revision, which every answer's header carries. */
    private final class FakeMember extends KVGrpc.KVImplBase {
        final AtomicLong revision = new AtomicLong();
        final AtomicInteger ranges = new AtomicInteger();
        final AtomicInteger txns = new AtomicInteger();

        String start() throws IOException {
            Server s = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(this).build()
                    .start();
            open.add(s::shutdownNow);
            return "127.0.0.1:" + ((InetSocketAddress) s.getListenSockets().get(0)).getPort();
        }

        private ResponseHeader header() {
            return ResponseHeader.newBuilder().setRevision(revision.get()).build();
        }

        @Override
        public void range(RangeRequest request, StreamObserver<RangeResponse> answer) {
            ranges.incrementAndGet();
            answer.onNext(RangeResponse.newBuilder().setHeader(header()).build());
            answer.onCompleted();
        }

        @Override
        public void put(PutRequest request, StreamObserver<PutResponse> answer) {
            answer.onNext(PutResponse.newBuilder().setHeader(header()).build());
            answer.onCompleted();
        }

        @Override
        public void txn(TxnRequest request, StreamObserver<TxnResponse> answer) {
            txns.incrementAndGet();
            answer.onNext(TxnResponse.newBuilder().setHeader(header()).setSucceeded(true).build());
            answer.onCompleted();
        }
    }
}
