package io.etcdj.server;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveRequest;
import io.etcdj.api.etcdserverpb.LeaseKeepAliveResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.WatchCancelRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A build step, not part of the member: starts a throwaway single member on free loopback ports,
 * serves what the side-by-side benchmark asks of a member (puts, ranges, a txn, a watch with its
 * event, a lease with a keep-alive) and the HTTP endpoints, and exits. The build runs it under
 * {@code -XX:ArchiveClassesAtExit} so that the JVM records every class a member loads into a
 * class-data archive, which {@code bin/etcd} then maps instead of loading and verifying those
 * classes again (start-up takes about half the CPU). It always exits 0: without an archive the
 * member still runs, only slower to start.
 */
public final class ClassDataTraining {
    private static final long READY_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private ClassDataTraining() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Files.createTempDirectory("etcdj-class-data-training");
        try {
            train(dataDir);
        } catch (Exception | AssertionError e) {
            System.err.println("class-data training incomplete (the archive holds fewer classes): " + e);
        } finally {
            deleteQuietly(dataDir);
        }
        System.exit(0); // the member's shutdown hook closes it; then the JVM writes the archive
    }

    private static void train(Path dataDir) throws Exception {
        int client = freePort();
        int peer = freePort();
        String clientUrl = "http://127.0.0.1:" + client;
        String peerUrl = "http://127.0.0.1:" + peer;
        String[] flags = {"--name", "training", "--data-dir", dataDir.resolve("member-data").toString(),
            "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
            "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
            "--initial-cluster", "training=" + peerUrl};
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        Thread member = new Thread(() -> EtcdMain.run(flags, Map.of(), quiet, quiet), "training-member");
        member.setDaemon(true);
        member.start();
        awaitHealthy(clientUrl);
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", client).usePlaintext().build();
        try {
            KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            ByteString key = ByteString.copyFromUtf8("training");
            kv.put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("v")).build());
            kv.range(RangeRequest.newBuilder().setKey(key).build());
            kv.range(RangeRequest.newBuilder().setKey(key).setSerializable(true).build());
            kv.txn(TxnRequest.newBuilder().addCompare(Compare.newBuilder().setKey(key)
                            .setTarget(Compare.CompareTarget.VERSION).setResult(Compare.CompareResult.GREATER))
                    .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key)))
                    .build());
            watchOnePut(channel, kv, key);
            leaseWithKeepAlive(channel, kv, key);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        for (String path : new String[] {"/version", "/metrics", "/readyz"}) {
            get(clientUrl + path);
        }
    }

    /** A watch on {@code key} that sees one put, then is cancelled. */
    private static void watchOnePut(ManagedChannel channel, KVGrpc.KVBlockingStub kv, ByteString key)
            throws InterruptedException {
        LinkedBlockingQueue<WatchResponse> answers = new LinkedBlockingQueue<>();
        StreamObserver<WatchRequest> watch = WatchGrpc.newStub(channel).watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
                answers.add(r);
            }

            @Override
            public void onError(Throwable t) {
                answers.add(WatchResponse.getDefaultInstance());
            }

            @Override
            public void onCompleted() {
                answers.add(WatchResponse.getDefaultInstance());
            }
        });
        watch.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(key)).build());
        WatchResponse created = answers.poll(30, TimeUnit.SECONDS);
        kv.put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("w")).build());
        answers.poll(30, TimeUnit.SECONDS);
        if (created != null) {
            watch.onNext(WatchRequest.newBuilder().setCancelRequest(WatchCancelRequest.newBuilder()
                    .setWatchId(created.getWatchId())).build());
        }
        watch.onCompleted();
    }

    /** A lease granted, a key put with it, one keep-alive over the stream, and the revoke. */
    private static void leaseWithKeepAlive(ManagedChannel channel, KVGrpc.KVBlockingStub kv, ByteString key) {
        LeaseGrpc.LeaseBlockingStub leases = LeaseGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        long id = leases.leaseGrant(LeaseGrantRequest.newBuilder().setTTL(60).build()).getID();
        kv.put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8("l")).setLease(id).build());
        CompletableFuture<Void> answered = new CompletableFuture<>();
        StreamObserver<LeaseKeepAliveRequest> keepAlive = LeaseGrpc.newStub(channel).leaseKeepAlive(
                new StreamObserver<>() {
                    @Override
                    public void onNext(LeaseKeepAliveResponse r) {
                        answered.complete(null);
                    }

                    @Override
                    public void onError(Throwable t) {
                        answered.complete(null);
                    }

                    @Override
                    public void onCompleted() {
                        answered.complete(null);
                    }
                });
        keepAlive.onNext(LeaseKeepAliveRequest.newBuilder().setID(id).build());
        answered.completeOnTimeout(null, 30, TimeUnit.SECONDS).join();
        keepAlive.onCompleted();
        leases.leaseRevoke(LeaseRevokeRequest.newBuilder().setID(id).build());
    }

    private static void awaitHealthy(String clientUrl) throws InterruptedException {
        long deadline = System.nanoTime() + READY_DEADLINE_NANOS;
        while (System.nanoTime() - deadline < 0) {
            try {
                if (get(clientUrl + "/health") == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the port is not open yet
            }
            Thread.sleep(50); // polling a condition, with the deadline above
        }
        throw new AssertionError("the training member was not healthy within 60 s");
    }

    private static int get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(10000);
        try {
            int code = c.getResponseCode();
            try (var in = code < 400 ? c.getInputStream() : c.getErrorStream()) {
                if (in != null) {
                    in.readAllBytes();
                }
            }
            return code;
        } finally {
            c.disconnect();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
