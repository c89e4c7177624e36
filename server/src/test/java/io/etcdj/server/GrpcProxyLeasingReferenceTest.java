package io.etcdj.server;

import static io.etcdj.server.GrpcProxyLeasingTest.bytes;
import static io.etcdj.server.GrpcProxyLeasingTest.get;
import static io.etcdj.server.GrpcProxyLeasingTest.put;
import static io.etcdj.server.GrpcProxyLeasingTest.range;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.proxy.grpcproxy.GrpcProxy;
import io.etcdj.testsupport.FreePorts;
import io.etcdj.testsupport.OpenResources;
import io.etcdj.testsupport.ReferenceEtcd;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our leasing grpc-proxy side by side with etcd 3.4.23's, both with the same leasing prefix in
 * front of a reference member: the ownership keys each creates on a read look alike (name
 * "/lease/&lt;key&gt;", empty value, version 1, the proxy's session lease), and the two speak one
 * protocol: a write through either takes a key away from the other, which then answers the new
 * value, and neither leaves an ownership key behind.
 */
class GrpcProxyLeasingReferenceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PREFIX = "/lease/";

    @TempDir
    Path dir;
    @RegisterExtension
    final OpenResources open = new OpenResources();

    @Test
    void ownershipKeysLookAsEtcdsAndTheTwoProxiesTakeKeysFromEachOther() throws Exception {
        ReferenceEtcd reference = ReferenceEtcd.builder().name("m").dir(dir).dataDir(dir.resolve("m.etcd"))
                .ports(FreePorts::belowEphemeralRange).timeout(WAIT).start();
        open.add(reference);
        String member = reference.endpoint();
        KVGrpc.KVBlockingStub direct = client(member);
        awaitServing(direct, "the reference member");

        String refAddress = "127.0.0.1:" + EtcdCluster.freePort();
        open.add(ReferenceEtcd.run(List.of("grpc-proxy", "start", "--endpoints", member, "--listen-addr", refAddress,
                "--experimental-leasing-prefix", PREFIX), dir.resolve("ref-proxy.log")));
        KVGrpc.KVBlockingStub ref = client(refAddress);
        awaitServing(ref, "the reference grpc-proxy");

        GrpcProxy ours = GrpcProxy.to(List.of(member), GrpcProxy.UpstreamTls.NONE, "",
                GrpcProxy.UpstreamOptions.DEFAULT.withLeasingPrefix(PREFIX));
        open.add(ours);
        ours.start(new InetSocketAddress("127.0.0.1", 0), null);
        ours.awaitLeasingSession(WAIT);
        KVGrpc.KVBlockingStub our = client("127.0.0.1:" + ours.address().getPort());

        put(direct, "r", "1");
        put(direct, "o", "1");
        assertThat(get(ref, "r")).isEqualTo("1");
        assertThat(get(our, "o")).isEqualTo("1");
        KeyValue refOwns = only(direct, PREFIX + "r");
        KeyValue ourOwns = only(direct, PREFIX + "o");
        for (KeyValue kv : List.of(refOwns, ourOwns)) {
            assertThat(kv.getValue().toStringUtf8()).as(kv.getKey().toStringUtf8()).isEmpty();
            assertThat(kv.getVersion()).isEqualTo(1);
            assertThat(kv.getCreateRevision()).isEqualTo(kv.getModRevision());
            assertThat(kv.getLease()).isNotZero();
        }
        assertThat(ourOwns.getLease()).isEqualTo(ours.awaitLeasingSession(WAIT)).isNotEqualTo(refOwns.getLease());

        put(our, "r", "2"); // asks etcd's proxy to give "r" up
        assertThat(direct.range(range(PREFIX + "r")).getCount()).isZero();
        assertThat(get(ref, "r")).isEqualTo("2");
        put(ref, "o", "2"); // etcd's proxy asks ours to give "o" up
        assertThat(get(our, "o")).isEqualTo("2");
        assertThat(direct.range(RangeRequest.newBuilder().setKey(bytes(PREFIX)).setRangeEnd(bytes("/lease0")).build())
                .getKvsList()).extracting(kv -> kv.getKey().toStringUtf8()).doesNotContain(PREFIX + "o", PREFIX + "r");
    }

    private KVGrpc.KVBlockingStub client(String address) {
        ManagedChannel ch = NettyChannelBuilder.forTarget(address).usePlaintext().build();
        open.add(ch::shutdownNow);
        return KVGrpc.newBlockingStub(ch);
    }

    private static KeyValue only(KVGrpc.KVBlockingStub kv, String key) {
        List<KeyValue> kvs = kv.range(range(key)).getKvsList();
        assertThat(kvs).as(key).hasSize(1);
        return kvs.get(0);
    }

    private static void awaitServing(KVGrpc.KVBlockingStub kv, String what) {
        EtcdCluster.awaitCondition(WAIT, what + " serving", () -> {
            try {
                kv.withDeadlineAfter(2, TimeUnit.SECONDS).range(range("ready?"));
                return true;
            } catch (StatusRuntimeException notYet) {
                return false;
            }
        });
    }
}
