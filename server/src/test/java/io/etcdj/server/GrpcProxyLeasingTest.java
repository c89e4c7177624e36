package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.proxy.grpcproxy.GrpcProxy;
import io.etcdj.testsupport.OpenResources;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gRPC proxies with the same {@code --experimental-leasing-prefix} in front of one member:
 * a key read through proxy A is owned by A ("/lease/&lt;key&gt;", empty, on A's session lease) and
 * answered from A's cache (ranges and read-only txns) without reaching the member; a write through proxy B first makes A give
 * the key up, so A never answers a value older than a write B acknowledged; losing the ownership
 * key or the whole session lease behind A's back drops what A cached.
 */
class GrpcProxyLeasingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PREFIX = "/lease/";

    @TempDir
    Path dir;
    @RegisterExtension
    final OpenResources open = new OpenResources();

    private EtcdCluster member() {
        EtcdCluster c = EtcdCluster.start(dir, 1);
        open.add(c);
        c.awaitLeader(WAIT);
        return c;
    }

    private KVGrpc.KVBlockingStub leasingProxy(EtcdCluster c) throws IOException {
        return leasingProxy(c, "");
    }

    private KVGrpc.KVBlockingStub leasingProxy(EtcdCluster c, String namespace) throws IOException {
        GrpcProxy p = GrpcProxy.to(List.of(c.clientUrl(0)), GrpcProxy.UpstreamTls.NONE, namespace,
                GrpcProxy.UpstreamOptions.DEFAULT.withLeasingPrefix(PREFIX));
        open.add(p);
        p.start(new InetSocketAddress("127.0.0.1", 0), null);
        assertThat(p.awaitLeasingSession(WAIT)).isNotZero();
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", p.address().getPort()).usePlaintext().build();
        open.add(ch::shutdownNow);
        return KVGrpc.newBlockingStub(ch);
    }

    @Test
    void aReadOwnsTheKeyAndAWriteThroughTheOtherProxyTakesItAwayBeforeItIsAcknowledged() throws Exception {
        EtcdCluster c = member();
        KVGrpc.KVBlockingStub a = leasingProxy(c);
        KVGrpc.KVBlockingStub b = leasingProxy(c);

        put(a, "k", "v1");
        assertThat(get(a, "k")).isEqualTo("v1");
        KeyValue owned = only(c.kv(0), PREFIX + "k");
        assertThat(owned.getValue().toStringUtf8()).as("an ownership key is empty").isEmpty();
        assertThat(owned.getLease()).as("on A's session lease").isNotZero();

        put(b, "k", "v2");
        assertThat(c.kv(0).range(range(PREFIX + "k")).getCount()).as("A gave the key up before B's put was acknowledged")
                .isZero();
        assertThat(get(a, "k")).isEqualTo("v2");
        assertThat(only(c.kv(0), "k").getVersion()).as("B's put was applied once").isEqualTo(2);

        // the other way round, with a delete: B owns "d", A deletes it
        put(b, "d", "x");
        assertThat(get(b, "d")).isEqualTo("x");
        assertThat(only(c.kv(0), PREFIX + "d").getLease()).isNotEqualTo(owned.getLease());
        assertThat(a.deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("d")).build()).getDeleted()).isEqualTo(1);
        assertThat(b.range(range("d")).getCount()).isZero();
    }

    @Test
    void repeatedReadsOfAnOwnedKeyNeverReachTheMemberAndTheOwnersWritesKeepItsCacheCurrent() throws Exception {
        EtcdCluster c = member();
        KVGrpc.KVBlockingStub a = leasingProxy(c);
        put(a, "hot", "1");
        assertThat(get(a, "hot")).isEqualTo("1"); // acquires: one txn
        long ranges = handled(c, "Range");
        long txns = handled(c, "Txn");

        for (int i = 0; i < 20; i++) {
            assertThat(get(a, "hot")).isEqualTo("1");
        }
        put(a, "hot", "2"); // the owner's own write: one guarded txn, the cache updated
        for (int i = 0; i < 20; i++) {
            assertThat(get(a, "hot")).isEqualTo("2");
        }
        assertThat(a.range(range("hot").toBuilder().setKeysOnly(true).build()).getKvs(0).getValue()).isEmpty();
        assertThat(a.range(range("hot").toBuilder().setCountOnly(true).build()).getCount()).isEqualTo(1);
        TxnRequest readOnly = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bytes("hot")).setTarget(Compare.CompareTarget.VALUE)
                        .setResult(Compare.CompareResult.EQUAL).setValue(bytes("2")))
                .addSuccess(RequestOp.newBuilder().setRequestRange(range("hot"))).build();
        TxnResponse answered = a.txn(readOnly);
        assertThat(answered.getSucceeded()).isTrue();
        assertThat(answered.getResponses(0).getResponseRange().getKvs(0).getValue().toStringUtf8()).isEqualTo("2");
        assertThat(handled(c, "Range")).as("Range calls on the member").isEqualTo(ranges);
        assertThat(handled(c, "Txn")).as("Txn calls on the member").isEqualTo(txns + 1);
        assertThat(only(c.kv(0), "hot").getVersion()).isEqualTo(2);
    }

    @Test
    void aReaderThroughOneProxyNeverSeesAValueOlderThanAWriteAcknowledgedThroughTheOther() throws Exception {
        EtcdCluster c = member();
        KVGrpc.KVBlockingStub a = leasingProxy(c);
        KVGrpc.KVBlockingStub b = leasingProxy(c);
        put(b, "counter", "0");
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Thread writer = new Thread(() -> {
            try {
                for (int i = 1; i <= 100 && System.nanoTime() < deadline; i++) {
                    put(b, "counter", Integer.toString(i));
                    acknowledged.set(i);
                }
            } catch (RuntimeException | AssertionError e) {
                failed.set(e);
            }
        }, "writer-through-b");
        writer.start();
        int reads = 0;
        while (writer.isAlive() && reads < 2000) {
            long before = acknowledged.get();
            long seen = Long.parseLong(get(a, "counter"));
            assertThat(seen).as("read %d through A began after write %d was acknowledged", reads, before)
                    .isGreaterThanOrEqualTo(before);
            reads++;
        }
        writer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(failed.get()).as("the writer's puts").isNull();
        assertThat(get(a, "counter")).isEqualTo(Long.toString(acknowledged.get()));
        assertThat(only(c.kv(0), "counter").getVersion()).isEqualTo(acknowledged.get() + 1);
    }

    @Test
    void aDeletedOwnershipKeyOrARevokedSessionLeaseDropsWhatTheProxyCached() throws Exception {
        EtcdCluster c = member();
        KVGrpc.KVBlockingStub a = leasingProxy(c);
        for (String k : List.of("one", "two", "three")) {
            put(a, k, "old");
            assertThat(get(a, k)).isEqualTo("old");
        }

        c.kv(0).deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes(PREFIX + "one")).build());
        c.kv(0).put(PutRequest.newBuilder().setKey(bytes("one")).setValue(bytes("new")).build());
        EtcdCluster.awaitCondition(WAIT, "A answering the new value of a key whose ownership key was deleted",
                () -> get(a, "one").equals("new"));

        long lease = only(c.kv(0), PREFIX + "two").getLease();
        LeaseGrpc.newBlockingStub(c.channel(0)).leaseRevoke(LeaseRevokeRequest.newBuilder().setID(lease).build());
        for (String k : List.of("two", "three")) {
            c.kv(0).put(PutRequest.newBuilder().setKey(bytes(k)).setValue(bytes("new")).build());
        }
        EtcdCluster.awaitCondition(WAIT, "A answering the new values once its session lease is gone",
                () -> get(a, "two").equals("new") && get(a, "three").equals("new"));
        EtcdCluster.awaitCondition(WAIT, "A owning keys again under a new session lease", () -> {
            get(a, "two");
            List<KeyValue> kvs = c.kv(0).range(range(PREFIX + "two")).getKvsList();
            return !kvs.isEmpty() && kvs.get(0).getLease() != lease;
        });
    }

    @Test
    void aTxnThroughOneProxyWaitsForTheOtherToGiveUpEveryKeyItWrites() throws Exception {
        EtcdCluster c = member();
        KVGrpc.KVBlockingStub a = leasingProxy(c);
        KVGrpc.KVBlockingStub b = leasingProxy(c);
        put(a, "t1", "a");
        put(a, "t2", "a");
        assertThat(get(a, "t1")).isEqualTo("a");
        assertThat(get(a, "t2")).isEqualTo("a");

        TxnRequest t = TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bytes("t1")).setValue(bytes("b"))))
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
                        .setKey(bytes("t2")).setRangeEnd(bytes("t3"))))
                .build();
        assertThat(b.txn(t).getSucceeded()).isTrue();
        assertThat(get(a, "t1")).isEqualTo("b");
        assertThat(a.range(range("t2")).getCount()).isZero();
        assertThat(c.kv(0).range(RangeRequest.newBuilder().setKey(bytes(PREFIX)).setRangeEnd(bytes("/lease0")).build())
                .getCount()).as("no ownership keys left").isZero();
    }

    @Test
    void aNamespacedProxyKeepsItsOwnershipKeysUnderItsNamespaceAsEtcdsDoes() throws Exception {
        EtcdCluster c = member();
        KVGrpc.KVBlockingStub a = leasingProxy(c, "/app/");
        KVGrpc.KVBlockingStub b = leasingProxy(c, "/app/");
        put(a, "k", "v1");
        assertThat(get(a, "k")).isEqualTo("v1");
        assertThat(only(c.kv(0), "/app/" + PREFIX + "k").getValue()).isEmpty();
        put(b, "k", "v2");
        assertThat(get(a, "k")).isEqualTo("v2");
        assertThat(only(c.kv(0), "/app/k").getValue().toStringUtf8()).isEqualTo("v2");
    }

    // --- helpers

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }

    static RangeRequest range(String key) {
        return RangeRequest.newBuilder().setKey(bytes(key)).build();
    }

    static void put(KVGrpc.KVBlockingStub kv, String key, String value) {
        kv.withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS)
                .put(PutRequest.newBuilder().setKey(bytes(key)).setValue(bytes(value)).build());
    }

    /** A linearizable get; "" when the key does not exist. */
    static String get(KVGrpc.KVBlockingStub kv, String key) {
        List<KeyValue> kvs = kv.withDeadlineAfter(WAIT.toSeconds(), TimeUnit.SECONDS).range(range(key)).getKvsList();
        return kvs.isEmpty() ? "" : kvs.get(0).getValue().toStringUtf8();
    }

    private static KeyValue only(KVGrpc.KVBlockingStub kv, String key) {
        List<KeyValue> kvs = kv.range(range(key)).getKvsList();
        assertThat(kvs).as(key).hasSize(1);
        return kvs.get(0);
    }

    /** grpc_server_handled_total of one KV method on the member, over all codes. */
    private static long handled(EtcdCluster c, String method) throws IOException, InterruptedException {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(c.clientUrl(0) + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^grpc_server_handled_total\\{[^}]*grpc_method=\"" + method + "\"[^}]*\\} ([0-9.eE+]+)$")
                .matcher(metrics);
        long n = 0;
        while (m.find()) {
            n += (long) Double.parseDouble(m.group(1));
        }
        return n;
    }
}
