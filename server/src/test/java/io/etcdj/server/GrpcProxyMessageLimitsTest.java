package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.server.proxy.grpcproxy.GrpcProxy;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gRPC proxy started as {@code --max-send-bytes=100000 --max-recv-bytes=200000}: a request
 * larger than 100000 bytes never reaches the cluster, an answer larger than 200000 bytes never
 * reaches the client, each refused with Go gRPC's RESOURCE_EXHAUSTED text (the figures etcd 3.4.23
 * gives for the same requests: 150007 bytes for a put of a 150000-byte value to key "b").
 */
class GrpcProxyMessageLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void messagesOverTheLimitsAreRefusedWithGoGrpcText() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 1);
             GrpcProxy proxy = GrpcProxy.to(List.of(c.clientUrl(0)), GrpcProxy.UpstreamTls.NONE, "",
                     new GrpcProxy.UpstreamOptions(100_000, 200_000, false))) {
            c.awaitLeader(WAIT);
            proxy.start(new InetSocketAddress("127.0.0.1", 0), null);
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", proxy.address().getPort())
                    .usePlaintext().maxInboundMessageSize(16 << 20).build();
            try {
                KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);

                kv.put(put("a", 50_000)); // under both limits
                assertThatThrownBy(() -> kv.put(put("b", 150_000)))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                            assertThat(e.getStatus().getDescription())
                                    .isEqualTo("trying to send message larger than max (150007 vs. 100000)");
                        });
                assertThat(c.kv(0).range(RangeRequest.newBuilder().setKey(bytes("b")).build()).getCount())
                        .as("the refused put never reached the cluster").isZero();

                for (String k : List.of("c1", "c2", "c3")) {
                    c.kv(0).put(put(k, 90_000)); // written directly: the member takes them
                }
                assertThat(kv.range(RangeRequest.newBuilder().setKey(bytes("c1")).build()).getKvs(0).getValue().size())
                        .isEqualTo(90_000);
                RangeRequest all = RangeRequest.newBuilder().setKey(bytes("c")).setRangeEnd(bytes("d")).build();
                assertThatThrownBy(() -> kv.range(all)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    Matcher m = Pattern.compile("grpc: received message larger than max \\((\\d+) vs\\. 200000\\)")
                            .matcher(e.getStatus().getDescription());
                    assertThat(m.matches()).as(e.getStatus().getDescription()).isTrue();
                    assertThat(Integer.parseInt(m.group(1))).isGreaterThan(270_000);
                });

                // the limits hold for forwarded services too, and a refused call leaves the proxy serving
                assertThat(LeaseGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()).getTTL()).isEqualTo(60);
                assertThat(kv.range(RangeRequest.newBuilder().setKey(bytes("a")).build()).getCount()).isEqualTo(1);
            } finally {
                ch.shutdownNow();
            }
        }
    }

    private static PutRequest put(String key, int valueBytes) {
        return PutRequest.newBuilder().setKey(bytes(key)).setValue(ByteString.copyFrom(new byte[valueBytes])).build();
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
