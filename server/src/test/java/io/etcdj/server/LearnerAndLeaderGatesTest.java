package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrpc;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.MemberPromoteRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.WatchCreateRequest;
import io.etcdj.api.etcdserverpb.WatchGrpc;
import io.etcdj.api.etcdserverpb.WatchRequest;
import io.etcdj.api.etcdserverpb.WatchResponse;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two rules etcd applies to every client call before serving it: a learner serves Status and
 * serializable reads only, and a client asking for a leader ("hasleader") is refused, and its
 * open streams ended, when the member has none.
 */
class LearnerAndLeaderGatesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String NOT_FOR_LEARNER = "etcdserver: rpc not supported for learner";

    @TempDir
    Path dir;

    @Test
    void aLearnerServesStatusAndSerializableReadsOnlyUntilItIsPromoted() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 1)) {
            c.awaitLeader(WAIT);
            c.kv(0).put(put("k", "v"));
            int learner = c.join(0, true);
            KVGrpc.KVBlockingStub kv = c.kv(learner);
            EtcdCluster.awaitCondition(WAIT, "the learner has the key",
                    () -> kv.range(get("k").toBuilder().setSerializable(true).build()).getCount() == 1);
            assertThat(MaintenanceGrpc.newBlockingStub(c.channel(learner)).status(StatusRequest.getDefaultInstance())
                    .getIsLearner()).isTrue();

            refusedForLearner(() -> kv.range(get("k")));
            refusedForLearner(() -> kv.put(put("k", "w")));
            refusedForLearner(() -> LeaseGrpc.newBlockingStub(c.channel(learner))
                    .leaseGrant(LeaseGrantRequest.newBuilder().setTTL(10).build()));
            assertThat(watchEnd(WatchGrpc.newStub(c.channel(learner)), "k").get(30, TimeUnit.SECONDS))
                    .satisfies(s -> assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE))
                    .satisfies(s -> assertThat(s.getDescription()).isEqualTo(NOT_FOR_LEARNER));

            ClusterGrpc.newBlockingStub(c.channel(0)).memberPromote(
                    MemberPromoteRequest.newBuilder().setID(c.member(learner).memberId()).build());
            EtcdCluster.awaitCondition(WAIT, "the promotion applied on the learner",
                    () -> !c.server(learner).raftStatus().learner());
            kv.put(put("k", "w"));
            assertThat(kv.range(get("k")).getKvs(0).getValue().toStringUtf8()).isEqualTo("w");
        }
    }

    @Test
    void aClientAskingForALeaderIsRefusedAndItsWatchEndedOnceTheMemberHasNone() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            c.awaitLeader(WAIT);
            c.kv(0).put(put("k", "v"));
            Metadata hasLeader = new Metadata();
            hasLeader.put(Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER), "true");
            KVGrpc.KVBlockingStub kvNeedingLeader = c.kv(0)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(hasLeader));
            assertThat(kvNeedingLeader.range(get("k")).getCount()).isEqualTo(1);
            CompletableFuture<Status> watchEnd = watchEnd(WatchGrpc.newStub(c.channel(0))
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(hasLeader)), "k");
            CompletableFuture<Status> plainWatchEnd = watchEnd(WatchGrpc.newStub(c.channel(0)), "k");

            c.stopMember(1);
            c.stopMember(2);
            EtcdCluster.awaitCondition(WAIT, "member 0 knows no leader", () -> c.server(0).raftStatus().leader() == 0);
            assertThatThrownBy(() -> kvNeedingLeader.range(get("k").toBuilder().setSerializable(true).build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: no leader");
                    });
            assertThat(c.kv(0).range(get("k").toBuilder().setSerializable(true).build()).getCount()).isEqualTo(1);
            // the JSON gateway passes "Grpc-Metadata-NAME" headers on as metadata, as grpc-gateway does
            HttpResponse<String> viaGateway = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(c.clientUrl(0) + "/v3/kv/range"))
                            .header("Grpc-Metadata-Hasleader", "true")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"aw==\",\"serializable\":true}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(viaGateway.statusCode()).isEqualTo(503);
            assertThat(viaGateway.body()).isEqualTo(
                    "{\"error\":\"etcdserver: no leader\",\"message\":\"etcdserver: no leader\",\"code\":14}");

            Status ended = watchEnd.get(30, TimeUnit.SECONDS);
            assertThat(ended.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(ended.getDescription()).isEqualTo("etcdserver: no leader");
            assertThat(plainWatchEnd).as("a watch that did not ask for a leader goes on").isNotDone();
        }
    }

    private static void refusedForLearner(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(e.getStatus().getDescription()).isEqualTo(NOT_FOR_LEARNER);
        });
    }

    /** Opens a watch on {@code key}; completes with the status the server ends it with. */
    private static CompletableFuture<Status> watchEnd(WatchGrpc.WatchStub watch, String key) {
        CompletableFuture<Status> end = new CompletableFuture<>();
        StreamObserver<WatchRequest> requests = watch.watch(new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse r) {
            }

            @Override
            public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                end.complete(Status.OK);
            }
        });
        requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder().setKey(bytes(key)))
                .build());
        return end;
    }

    private static PutRequest put(String k, String v) {
        return PutRequest.newBuilder().setKey(bytes(k)).setValue(bytes(v)).build();
    }

    private static RangeRequest get(String k) {
        return RangeRequest.newBuilder().setKey(bytes(k)).build();
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
