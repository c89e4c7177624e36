package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.ClusterGrpc;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.Member;
import io.etcdj.api.etcdserverpb.MemberAddRequest;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.MemberPromoteRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Members in one JVM, talking over real sockets: replication, restart, leader loss. */
class ClusterReplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aSingleMemberServesPutGetDeleteAndTxnWithCompleteHeaders() {
        try (EtcdCluster c = EtcdCluster.start(dir, 1)) {
            c.awaitLeader(WAIT);
            long empty = c.kv(0).range(get("foo")).getHeader().getRevision(); // 1, as etcd's empty store
            PutResponse put = c.kv(0).put(put("foo", "bar"));
            assertThat(put.getHeader().getRevision()).isEqualTo(empty + 1);
            assertThat(put.getHeader().getClusterId()).isEqualTo(c.server(0).clusterId());
            assertThat(put.getHeader().getMemberId()).isEqualTo(c.member(0).memberId());
            assertThat(put.getHeader().getRaftTerm()).isPositive();

            RangeResponse got = c.kv(0).range(get("foo"));
            assertThat(got.getKvs(0).getValue().toStringUtf8()).isEqualTo("bar");
            assertThat(got.getHeader().getRevision()).isEqualTo(empty + 1);

            TxnResponse txn = c.kv(0).txn(TxnRequest.newBuilder()
                    .addCompare(Compare.newBuilder().setKey(bytes("foo")).setTarget(Compare.CompareTarget.VALUE)
                            .setResult(Compare.CompareResult.EQUAL).setValue(bytes("bar")))
                    .addSuccess(RequestOp.newBuilder().setRequestPut(put("foo", "baz")))
                    .build());
            assertThat(txn.getSucceeded()).isTrue();
            assertThat(c.kv(0).range(get("foo")).getKvs(0).getValue().toStringUtf8()).isEqualTo("baz");

            assertThat(c.kv(0).deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("foo")).build())
                    .getDeleted()).isEqualTo(1);
            assertThat(c.kv(0).range(get("foo")).getCount()).isZero();
        }
    }

    @Test
    void clientErrorsCarryEtcdsTextsAndCodes() {
        try (EtcdCluster c = EtcdCluster.start(dir, 1)) {
            c.awaitLeader(WAIT);
            assertThatThrownBy(() -> c.kv(0).put(PutRequest.newBuilder().build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: key is not provided");
                    });
            TxnRequest.Builder big = TxnRequest.newBuilder();
            for (int i = 0; i < 129; i++) {
                big.addSuccess(RequestOp.newBuilder().setRequestPut(put("k" + i, "v")));
            }
            assertThatThrownBy(() -> c.kv(0).txn(big.build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
                            .isEqualTo("etcdserver: too many operations in txn request"));
            PutRequest tooLarge = put("big", "x".repeat(1536 * 1024 + 1));
            assertThatThrownBy(() -> c.kv(0).put(tooLarge))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> assertThat(e.getStatus().getDescription())
                            .isEqualTo("etcdserver: request is too large"));
        }
    }

    @Test
    void aPutOnOneMemberIsVisibleOnTheOthers() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            c.awaitLeader(WAIT);
            long rev = c.kv(0).put(put("shared", "1")).getHeader().getRevision();
            for (int i = 0; i < 3; i++) {
                RangeResponse linearizable = c.kv(i).range(get("shared"));
                assertThat(linearizable.getKvs(0).getValue().toStringUtf8()).isEqualTo("1");
                assertThat(linearizable.getHeader().getRevision()).isGreaterThanOrEqualTo(rev);
            }
            int follower = c.awaitLeader(WAIT) == 2 ? 1 : 2;
            c.kv(follower).put(put("from-follower", "2"));
            EtcdCluster.awaitCondition(WAIT, "every member applies the follower's put", () -> {
                for (int i = 0; i < 3; i++) {
                    RangeResponse serial = c.kv(i).range(get("from-follower").toBuilder().setSerializable(true).build());
                    if (serial.getCount() != 1) {
                        return false;
                    }
                }
                return true;
            });
            MemberListResponse list = ClusterGrpc.newBlockingStub(c.channel(1))
                    .memberList(MemberListRequest.getDefaultInstance());
            assertThat(list.getMembersList()).hasSize(3);
            assertThat(list.getHeader().getRevision()).as("etcd's member responses carry no revision").isZero();
            assertThat(list.getHeader().getClusterId()).isNotZero();
            EtcdCluster.awaitCondition(WAIT, "every member published its name", () ->
                    ClusterGrpc.newBlockingStub(c.channel(1)).memberList(MemberListRequest.getDefaultInstance())
                            .getMembersList().stream().allMatch(m -> !m.getName().isEmpty()
                                    && m.getClientURLsCount() == 1));
            assertThat(c.fatalErrors()).isEmpty();
        }
    }

    @Test
    void aRestartedMemberKeepsItsDataAndCatchesUp() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            c.awaitLeader(WAIT);
            c.kv(0).put(put("before", "1"));
            EtcdCluster.awaitCondition(WAIT, "m2 applies 'before'",
                    () -> c.kv(2).range(get("before").toBuilder().setSerializable(true).build()).getCount() == 1);
            c.stopMember(2);
            c.kv(0).put(put("while-down", "2"));
            c.startMember(2);
            EtcdCluster.awaitCondition(WAIT, "restarted m2 catches up",
                    () -> c.kv(2).range(get("while-down").toBuilder().setSerializable(true).build()).getCount() == 1);
            assertThat(c.kv(2).range(get("before")).getKvs(0).getValue().toStringUtf8()).isEqualTo("1");
        }
    }

    @Test
    void aWriteMadeWhileThereIsNoLeaderWaitsForOneAndSucceeds() throws Exception {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            c.awaitLeader(WAIT);
            c.stopMember(1);
            c.stopMember(2);
            EtcdCluster.awaitCondition(WAIT, "m0 loses its leader (check quorum)", () -> c.member(0).server()
                    .status(StatusRequest.getDefaultInstance()).join().getLeader() == 0);
            ListenableFuture<PutResponse> pending =
                    KVGrpc.newFutureStub(c.channel(0)).put(put("during-election", "v"));
            c.startMember(1);
            // etcd queues a proposal until there is a leader: the write is not refused with "no leader"
            assertThat(pending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).getHeader().getRevision())
                    .isPositive();
            assertThat(c.kv(0).range(get("during-election")).getCount()).isEqualTo(1);
        }
    }

    @Test
    void aLearnerThatHasNotCaughtUpIsNotPromotedWhicheverMemberIsAsked() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            int leader = c.awaitLeader(WAIT);
            int follower = (leader + 1) % 3;
            String nowhere = "http://127.0.0.1:" + EtcdCluster.freePort(); // never started: it matches nothing
            long learner = EtcdCluster.whenHealthy(() -> ClusterGrpc.newBlockingStub(c.channel(leader))
                    .memberAdd(MemberAddRequest.newBuilder().setIsLearner(true)
                            .addPeerURLs(nowhere).build())).getMember().getID();
            for (int asked : new int[] {leader, follower}) {
                assertThatThrownBy(() -> ClusterGrpc.newBlockingStub(c.channel(asked)).memberPromote(
                        MemberPromoteRequest.newBuilder().setID(learner).build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                            assertThat(e.getStatus().getDescription())
                                    .isEqualTo("etcdserver: can only promote a learner member which is in sync with leader");
                        });
            }
        }
    }

    @Test
    void aWholeClusterRestartLosesNothing() {
        try (EtcdCluster c = EtcdCluster.start(dir, 1)) {
            c.awaitLeader(WAIT);
            long empty = c.kv(0).range(get("k")).getHeader().getRevision();
            for (int i = 0; i < 20; i++) {
                c.kv(0).put(put("k" + i, "v" + i));
            }
            c.stopMember(0);
            c.startMember(0);
            c.awaitLeader(WAIT);
            RangeResponse all = c.kv(0).range(RangeRequest.newBuilder().setKey(bytes("k"))
                    .setRangeEnd(bytes("l")).build());
            assertThat(all.getCount()).isEqualTo(20);
            assertThat(all.getHeader().getRevision()).isEqualTo(empty + 20);
            assertThat(c.kv(0).put(put("after", "x")).getHeader().getRevision()).isEqualTo(empty + 21);
        }
    }

    @Test
    void stoppingTheLeaderElectsAnotherAndLosesNoAcknowledgedWrite() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            int leader = c.awaitLeader(WAIT);
            List<String> acknowledged = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String key = "ack" + i;
                EtcdCluster.acrossElections(() -> c.kv(leader).put(put(key, "v")));
                acknowledged.add(key);
            }
            c.stopMember(leader);
            int newLeader = c.awaitLeader(WAIT);
            assertThat(newLeader).isNotEqualTo(leader);
            for (int i = 0; i < 3; i++) {
                if (!c.running(i)) {
                    continue;
                }
                int member = i;
                RangeResponse all = EtcdCluster.acrossElections(() -> c.kv(member).range(RangeRequest.newBuilder()
                        .setKey(bytes("ack")).setRangeEnd(bytes("acl")).setKeysOnly(true).build()));
                assertThat(all.getKvsList()).extracting(kv -> kv.getKey().toStringUtf8())
                        .containsExactlyInAnyOrderElementsOf(acknowledged);
            }
            EtcdCluster.acrossElections(() -> c.kv(newLeader).put(put("after-failover", "1")));
            c.startMember(leader);
            EtcdCluster.awaitCondition(WAIT, "the old leader catches up",
                    () -> c.kv(leader).range(get("after-failover").toBuilder().setSerializable(true).build())
                            .getCount() == 1);
        }
    }

    @Test
    void aMemberAddedAtRuntimeJoinsGetsTheDataAndCanBePromotedFromLearner() {
        try (EtcdCluster c = EtcdCluster.start(dir, 1)) {
            c.awaitLeader(WAIT);
            c.kv(0).put(put("before-join", "1"));
            int joined = c.join(0, true);
            EtcdCluster.awaitCondition(WAIT, "the learner replicates the data", () ->
                    c.kv(joined).range(get("before-join").toBuilder().setSerializable(true).build()).getCount() == 1);
            MemberListResponse list = ClusterGrpc.newBlockingStub(c.channel(0))
                    .memberList(MemberListRequest.getDefaultInstance());
            assertThat(list.getMembersList()).filteredOn(m -> m.getID() == c.member(joined).memberId())
                    .singleElement().satisfies(m -> assertThat(m.getIsLearner()).isTrue());
            ClusterGrpc.newBlockingStub(c.channel(0)).memberPromote(MemberPromoteRequest
                    .newBuilder().setID(c.member(joined).memberId()).build());
            assertThat(ClusterGrpc.newBlockingStub(c.channel(0)).memberList(MemberListRequest.getDefaultInstance())
                    .getMembersList()).noneMatch(Member::getIsLearner);
            // a learner serves linearizable reads only once it has applied its own promotion
            EtcdCluster.awaitCondition(WAIT, "the promotion applied on the promoted member",
                    () -> !c.server(joined).raftStatus().learner());
            c.kv(0).put(put("after-promote", "2"));
            assertThat(c.kv(joined).range(get("after-promote")).getCount()).isEqualTo(1);
        }
    }

    static PutRequest put(String k, String v) {
        return PutRequest.newBuilder().setKey(bytes(k)).setValue(bytes(v)).build();
    }

    static RangeRequest get(String k) {
        return RangeRequest.newBuilder().setKey(bytes(k)).build();
    }

    static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
