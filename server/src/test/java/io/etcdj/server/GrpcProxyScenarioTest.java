package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.server.proxy.grpcproxy.GrpcProxy;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gRPC proxy in front of a three-member cluster: Debian's etcdctl works through it; a member
 * dying under a watch is invisible to the watcher; a thousand identical watches cost the cluster
 * one watcher (as the members' own metrics show); and a namespaced proxy keeps its clients inside
 * their prefix.
 */
class GrpcProxyScenarioTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static GrpcProxy startProxy(EtcdCluster c, String namespace) throws IOException {
        GrpcProxy p = GrpcProxy.to(IntStream.range(0, c.size()).mapToObj(c::clientUrl).toList(),
                GrpcProxy.UpstreamTls.NONE, namespace);
        p.start(new InetSocketAddress("127.0.0.1", 0), null);
        return p;
    }

    private static String address(GrpcProxy p) {
        return "127.0.0.1:" + p.address().getPort();
    }

    @Test
    void etcdctlWorksThroughTheProxyAndItsHttpEndpointsAnswer() throws Exception {
        ReferenceEtcdctl etcdctl = ReferenceEtcdctl.find();
        try (EtcdCluster c = EtcdCluster.start(dir, 3); GrpcProxy proxy = startProxy(c, "")) {
            c.awaitLeader(WAIT);
            String via = address(proxy);
            EtcdctlThroughProxy.exercise(etcdctl, via);

            // a serializable read asked twice is answered the second time from the proxy's cache
            etcdctl.ok(via, "get", "greeting", "--consistency=s");
            assertThat(etcdctl.ok(via, "get", "greeting", "--consistency=s")).isEqualTo("greeting\nbye\n");
            assertThat(metric(get("http://" + via + "/metrics"), "etcd_grpc_proxy_cache_hits_total")).isEqualTo(1);

            assertThat(get("http://" + via + "/proxy/health")).isEqualTo("{\"health\":\"true\",\"reason\":\"\"}");
            assertThat(get("http://" + via + "/health")).isEqualTo("{\"health\":\"true\"}");
            String metrics = get("http://" + via + "/metrics");
            assertThat(metrics).contains("etcd_grpc_proxy_watchers_coalescing_total", "etcd_grpc_proxy_cache_hits_total",
                    "etcd_server_has_leader 1");

            // --resolver-prefix: the proxy's address under the prefix, on a lease, in etcd's record format
            proxy.register("/proxies", via, 30, "proxyhost");
            KeyValue registered = c.kv(0).range(RangeRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("/proxies/" + via)).build()).getKvs(0);
            assertThat(registered.getValue().toStringUtf8())
                    .isEqualTo("{\"Op\":0,\"Addr\":\"" + via + "\",\"Metadata\":\"{\\\"name\\\":\\\"proxyhost\\\"}\"}");
            assertThat(registered.getLease()).isNotZero();
        }
    }

    @Test
    void aWatchThroughTheProxySurvivesTheDeathOfTheMemberServingIt() throws Exception {
        ReferenceEtcdctl etcdctl = ReferenceEtcdctl.find();
        try (EtcdCluster c = EtcdCluster.start(dir, 3); GrpcProxy proxy = startProxy(c, "")) {
            c.awaitLeader(WAIT);
            String via = address(proxy);
            etcdctl.ok(via, "put", "survivor", "before");
            try (ReferenceEtcdctl.Running watch = etcdctl.start(via, "watch", "survivor")) {
                int[] serving = {-1};
                EtcdCluster.awaitCondition(WAIT, "one member holding the proxy's upstream watch", () -> {
                    for (int i = 0; i < 3; i++) {
                        if (watchers(c, i) == 1) {
                            serving[0] = i;
                            return true;
                        }
                    }
                    return false;
                });
                c.stopMember(serving[0]);
                c.awaitLeader(WAIT);
                assertThat(EtcdctlThroughProxy.withOneRetry(etcdctl, via, "put", "survivor", "after")).isEqualTo("OK\n");
                watch.awaitOutput("PUT\nsurvivor\nafter\n", WAIT);
                assertThat(watch.output()).isEqualTo("PUT\nsurvivor\nafter\n");
            }
        }
    }

    @Test
    void aThousandWatchersOfOneKeyCostTheClusterOneWatcher() throws Exception {
        int clients = 1000;
        try (EtcdCluster c = EtcdCluster.start(dir, 3); GrpcProxy proxy = startProxy(c, "")) {
            c.awaitLeader(WAIT);
            assertThat(totalWatchers(c)).isZero();
            List<ManagedChannel> channels = IntStream.range(0, 4).mapToObj(i -> (ManagedChannel) NettyChannelBuilder
                    .forTarget(address(proxy)).usePlaintext().build()).toList();
            CountDownLatch created = new CountDownLatch(clients);
            CountDownLatch notified = new CountDownLatch(clients);
            List<StreamObserver<WatchRequest>> streams = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    streams.add(WatchGrpc.newStub(channels.get(i % channels.size())).watch(new StreamObserver<>() {
                        @Override
                        public void onNext(WatchResponse r) {
                            if (r.getCreated()) {
                                created.countDown();
                            }
                            if (r.getEventsList().stream().anyMatch(e -> e.getKv().getValue().toStringUtf8().equals("news"))) {
                                notified.countDown();
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    }));
                    streams.get(i).onNext(WatchRequest.newBuilder().setCreateRequest(
                            WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8("hot"))).build());
                }
                assertThat(created.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("every watch created").isTrue();
                assertThat(totalWatchers(c)).as("watchers on the members").isEqualTo(1);
                assertThat(metric(get("http://" + address(proxy) + "/metrics"), "etcd_grpc_proxy_watchers_coalescing_total"))
                        .isEqualTo(clients - 1);

                KVGrpc.newBlockingStub(channels.get(0)).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("hot")).setValue(ByteString.copyFromUtf8("news")).build());
                assertThat(notified.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("every watcher notified").isTrue();
            } finally {
                streams.forEach(StreamObserver::onCompleted);
            }
            EtcdCluster.awaitCondition(WAIT, "the upstream watch ended with its last client", () -> totalWatchers(c) == 0);
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    @Test
    void keepAlivesOfManyClientsShareOneUpstreamStream() throws Exception {
        int clients = 20;
        // one member: in a larger cluster a follower's own forwarding to the leader would show in the count
        try (EtcdCluster c = EtcdCluster.start(dir, 1); GrpcProxy proxy = startProxy(c, "")) {
            c.awaitLeader(WAIT);
            int metricsPort = proxy.serveMetricsOn("127.0.0.1", 0);
            assertThat(get("http://127.0.0.1:" + metricsPort + "/metrics")).contains("etcd_grpc_proxy_cache_keys_total");
            ManagedChannel ch = NettyChannelBuilder.forTarget(address(proxy)).usePlaintext().build();
            try {
                long lease = LeaseGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()).getID();
                long before = keepAliveStreams(c);
                CountDownLatch renewed = new CountDownLatch(clients);
                List<StreamObserver<LeaseKeepAliveRequest>> streams = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    StreamObserver<LeaseKeepAliveRequest> s = LeaseGrpc.newStub(ch).leaseKeepAlive(new StreamObserver<>() {
                        @Override
                        public void onNext(LeaseKeepAliveResponse r) {
                            if (r.getID() == lease && r.getTTL() == 60) {
                                renewed.countDown();
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                        }

                        @Override
                        public void onCompleted() {
                        }
                    });
                    streams.add(s);
                    s.onNext(LeaseKeepAliveRequest.newBuilder().setID(lease).build());
                }
                assertThat(renewed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("every client's keep-alive answered").isTrue();
                assertThat(keepAliveStreams(c) - before).as("LeaseKeepAlive streams the members saw").isEqualTo(1);
                streams.forEach(StreamObserver::onCompleted);
            } finally {
                ch.shutdownNow();
            }
        }
    }

    /** LeaseKeepAlive calls started on all running members (grpc_server_started_total). */
    private static long keepAliveStreams(EtcdCluster c) throws IOException, InterruptedException {
        long n = 0;
        for (int i = 0; i < c.size(); i++) {
            Matcher m = Pattern.compile("(?m)^grpc_server_started_total\\{grpc_method=\"LeaseKeepAlive\"[^}]*\\} ([0-9.eE+]+)$")
                    .matcher(get(c.clientUrl(i) + "/metrics"));
            if (m.find()) {
                n += (long) Double.parseDouble(m.group(1));
            }
        }
        return n;
    }

    @Test
    void aNamespacedProxyKeepsItsClientsInsideTheirPrefix() throws Exception {
        ReferenceEtcdctl etcdctl = ReferenceEtcdctl.find();
        try (EtcdCluster c = EtcdCluster.start(dir, 3); GrpcProxy app = startProxy(c, "/app/")) {
            c.awaitLeader(WAIT);
            String via = address(app);
            c.kv(0).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("outside")).setValue(ByteString.copyFromUtf8("x")).build());

            assertThat(etcdctl.ok(via, "put", "k1", "v1")).isEqualTo("OK\n");
            assertThat(c.kv(1).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("/app/k1")).build())
                    .getKvs(0).getValue().toStringUtf8()).isEqualTo("v1");
            assertThat(etcdctl.ok(via, "get", "", "--from-key")).isEqualTo("k1\nv1\n");
            assertThat(etcdctl.ok(via, "get", "k", "--prefix")).isEqualTo("k1\nv1\n");
            assertThat(etcdctl.ok(via, "del", "", "--from-key")).isEqualTo("1\n");
            assertThat(c.kv(1).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("outside")).build())
                    .getCount()).as("a delete of everything stays inside the prefix").isEqualTo(1);

            long rev = EtcdctlThroughProxy.revision(etcdctl.ok(via, "get", "k1", "-w", "json"));
            try (ReferenceEtcdctl.Running watch = etcdctl.start(via, "watch", "k2", "--rev=" + (rev + 1))) {
                etcdctl.ok(via, "put", "k2", "v2");
                watch.awaitOutput("PUT\nk2\nv2\n", WAIT);
            }
            // a watch from a past revision replays it, even though the put happened before the watch began
            try (ReferenceEtcdctl.Running replay = etcdctl.start(via, "watch", "k2", "--rev=" + (rev + 1))) {
                replay.awaitOutput("PUT\nk2\nv2\n", WAIT);
            }
            assertThat(etcdctl.ok(via, "lock", "l", "echo", "held")).isEqualTo("held\n");
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** etcd_debugging_mvcc_watcher_total on member i's /metrics. */
    private static long watchers(EtcdCluster c, int i) {
        if (!c.running(i)) {
            return 0;
        }
        try {
            return metric(get(c.clientUrl(i) + "/metrics"), "etcd_debugging_mvcc_watcher_total");
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static long totalWatchers(EtcdCluster c) {
        return IntStream.range(0, c.size()).mapToLong(i -> watchers(c, i)).sum();
    }

    private static long metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+]+)$").matcher(text);
        assertThat(m.find()).as(name + " in metrics").isTrue();
        return (long) Double.parseDouble(m.group(1));
    }
}
