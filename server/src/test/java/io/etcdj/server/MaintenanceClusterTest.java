package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.AlarmMember;
import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmRequest.AlarmAction;
import io.etcdj.api.etcdserverpb.AlarmType;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DefragmentRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DowngradeRequest;
import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.HashRequest;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.MoveLeaderRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Maintenance service on in-process clusters: alarms and quota, defragment, hashes, leadership, downgrade. */
class MaintenanceClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void aPutOverTheQuotaRaisesNospaceAndOnlyFreeingSpaceAndDisarmingLetsWritesIn() {
        try (EtcdCluster c = EtcdCluster.startWithQuota(dir, 1, 2L * 1024 * 1024)) {
            c.awaitLeader(WAIT);
            long self = c.member(0).memberId();
            ByteString big = ByteString.copyFrom(new byte[100 * 1024]);
            int written = 0;
            StatusRuntimeException refused = null;
            while (refused == null) {
                assertThat(written).as("puts before the 2 MiB quota refuses one").isLessThan(200);
                try {
                    c.kv(0).put(PutRequest.newBuilder().setKey(key("big" + written)).setValue(big).build());
                    written++;
                } catch (StatusRuntimeException e) {
                    refused = e;
                }
            }
            assertEtcdError(refused, Status.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded");
            assertThat(alarms(c, 0)).containsExactly(alarm(self, AlarmType.NOSPACE));
            assertThat(maintenance(c, 0).status(StatusRequest.getDefaultInstance()).getErrorsList())
                    .containsExactly("memberID:" + Long.toUnsignedString(self) + " alarm:NOSPACE ");
            assertThat(httpGet(c, "/health")).isEqualTo("503 {\"health\":\"false\",\"reason\":\"ALARM NOSPACE\"}\n");
            assertThat(httpGet(c, "/health?exclude=NOSPACE")).isEqualTo("200 {\"health\":\"true\",\"reason\":\"\"}");

            // deletes still apply under NOSPACE; free the space, then disarm
            c.kv(0).deleteRange(DeleteRangeRequest.newBuilder().setKey(key("big")).setRangeEnd(key("bih")).build());
            long rev = c.kv(0).range(RangeRequest.newBuilder().setKey(key("x")).build()).getHeader().getRevision();
            c.kv(0).compact(CompactionRequest.newBuilder().setRevision(rev).setPhysical(true).build());
            // the backend drops compacted revisions in the background: defragment until it reports the space free
            EtcdCluster.awaitCondition(WAIT, "the backend under its quota after compaction and defragment", () -> {
                maintenance(c, 0).defragment(DefragmentRequest.getDefaultInstance());
                return maintenance(c, 0).status(StatusRequest.getDefaultInstance()).getDbSize() < 2L * 1024 * 1024 - 64 * 1024;
            });
            assertRefused(() -> c.kv(0).put(put("small", "v")), Status.Code.RESOURCE_EXHAUSTED,
                    "etcdserver: mvcc: database space exceeded"); // the alarm still holds writes back

            maintenance(c, 0).alarm(AlarmRequest.newBuilder().setAction(AlarmAction.DEACTIVATE)
                    .setMemberID(self).setAlarm(AlarmType.NOSPACE).build());
            assertThat(alarms(c, 0)).isEmpty();
            c.kv(0).put(put("small", "v"));
        }
    }

    @Test
    void anAlarmRaisedThroughRaftHoldsEveryMembersWritesUntilDisarmedAndSurvivesARestart() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            int leader = c.awaitLeader(WAIT);
            int follower = (leader + 1) % 3;
            long member = c.member(follower).memberId();
            AlarmRequest raise = AlarmRequest.newBuilder().setAction(AlarmAction.ACTIVATE).setMemberID(member)
                    .setAlarm(AlarmType.NOSPACE).build();
            assertThat(maintenance(c, follower).alarm(raise).getAlarmsList()).containsExactly(alarm(member, AlarmType.NOSPACE));
            assertThat(maintenance(c, leader).alarm(raise).getAlarmsList()).as("already raised").isEmpty();
            for (int i = 0; i < 3; i++) {
                assertThat(alarms(c, i)).containsExactly(alarm(member, AlarmType.NOSPACE));
            }
            assertRefused(() -> c.kv(leader).put(put("k", "v")), Status.Code.RESOURCE_EXHAUSTED,
                    "etcdserver: mvcc: database space exceeded");
            c.kv(leader).deleteRange(DeleteRangeRequest.newBuilder().setKey(key("k")).build());

            c.stopMember(follower);
            c.startMember(follower);
            c.awaitLeader(WAIT);
            assertThat(alarms(c, follower)).containsExactly(alarm(member, AlarmType.NOSPACE));

            maintenance(c, follower).alarm(raise.toBuilder().setAction(AlarmAction.DEACTIVATE).build());
            for (int i = 0; i < 3; i++) {
                assertThat(alarms(c, i)).isEmpty();
            }
            c.kv(leader).put(put("k", "v"));
        }
    }

    @Test
    void hashAndHashKvAgreeOnEveryMemberAfterWrites() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            int leader = c.awaitLeader(WAIT);
            long lastPut = 0;
            for (int i = 0; i < 50; i++) {
                lastPut = c.kv(i % 3).put(put("key" + (i % 7), "value" + i)).getHeader().getRevision();
            }
            long rev = lastPut;
            c.kv(leader).compact(CompactionRequest.newBuilder().setRevision(rev - 20).build());
            long last = c.kv(leader).put(put("last", "x")).getHeader().getRevision();
            long applied = c.server(leader).raftStatus().committedIndex();
            for (int i = 0; i < 3; i++) {
                int m = i;
                EtcdCluster.awaitCondition(WAIT, "m" + m + " applied " + applied,
                        () -> c.server(m).raftStatus().appliedIndex() >= applied);
            }
            Set<Integer> hashKvs = new HashSet<>();
            Set<Integer> hashes = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                HashKVResponse r = maintenance(c, i).hashKV(HashKVRequest.newBuilder().setRevision(rev).build());
                assertThat(r.getCompactRevision()).isEqualTo(rev - 20);
                assertThat(r.getHashRevision()).isEqualTo(rev);
                assertThat(r.getHeader().getRevision()).isEqualTo(last);
                hashKvs.add(r.getHash());
                HashKVResponse current = maintenance(c, i).hashKV(HashKVRequest.getDefaultInstance());
                assertThat(current.getHashRevision()).isEqualTo(last);
                hashes.add(maintenance(c, i).hash(HashRequest.getDefaultInstance()).getHash());
            }
            assertThat(hashKvs).hasSize(1);
            assertThat(hashes).hasSize(1);
            assertRefused(() -> maintenance(c, 0).hashKV(HashKVRequest.newBuilder().setRevision(rev - 25).build()),
                    Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
            assertRefused(() -> maintenance(c, 0).hashKV(HashKVRequest.newBuilder().setRevision(last + 10).build()),
                    Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
        }
    }

    @Test
    void defragmentDoesNotGrowTheDatabaseAndKeepsTheData() {
        try (EtcdCluster c = EtcdCluster.start(dir, 1)) {
            c.awaitLeader(WAIT);
            ByteString value = ByteString.copyFrom(new byte[10 * 1024]);
            long rev = 0;
            for (int i = 0; i < 100; i++) {
                rev = c.kv(0).put(PutRequest.newBuilder().setKey(key("k" + (i % 10))).setValue(value).build())
                        .getHeader().getRevision();
            }
            c.kv(0).compact(CompactionRequest.newBuilder().setRevision(rev).setPhysical(true).build());
            long before = maintenance(c, 0).status(StatusRequest.getDefaultInstance()).getDbSize();
            maintenance(c, 0).defragment(DefragmentRequest.getDefaultInstance());
            long after = maintenance(c, 0).status(StatusRequest.getDefaultInstance()).getDbSize();
            assertThat(after).isLessThanOrEqualTo(before);
            assertThat(c.kv(0).range(RangeRequest.newBuilder().setKey(key("k")).setRangeEnd(key("l")).build())
                    .getCount()).isEqualTo(10);
        }
    }

    @Test
    void moveLeaderHandsLeadershipToAVoterOnlyWhenAskedOfTheLeader() {
        try (EtcdCluster c = EtcdCluster.start(dir, 3)) {
            int leader = c.awaitLeader(WAIT);
            int target = (leader + 1) % 3;
            int other = (leader + 2) % 3;
            long targetId = c.member(target).memberId();

            assertRefused(() -> maintenance(c, other).moveLeader(MoveLeaderRequest.newBuilder().setTargetID(targetId).build()),
                    Status.Code.FAILED_PRECONDITION, "etcdserver: not leader");
            assertRefused(() -> maintenance(c, leader).moveLeader(MoveLeaderRequest.newBuilder().setTargetID(12345).build()),
                    Status.Code.FAILED_PRECONDITION, "etcdserver: bad leader transferee");

            maintenance(c, leader).moveLeader(MoveLeaderRequest.newBuilder().setTargetID(targetId).build());
            assertThat(c.server(leader).raftStatus().leader()).as("the old leader knows the new one on return")
                    .isEqualTo(targetId);
            assertThat(c.awaitLeader(WAIT)).isEqualTo(target);
            c.kv(other).put(put("after", "move"));
        }
    }

    @Test
    void downgradeAnswersAsEtcdForAClusterThatCannotGoLower() {
        try (EtcdCluster c = EtcdCluster.start(dir, 1)) {
            c.awaitLeader(WAIT);
            DowngradeRequest validate = DowngradeRequest.newBuilder().setAction(DowngradeRequest.DowngradeAction.VALIDATE)
                    .setVersion("3.4").build();
            assertRefused(() -> maintenance(c, 0).downgrade(validate), Status.Code.INVALID_ARGUMENT,
                    "etcdserver: invalid downgrade target version");
            assertRefused(() -> maintenance(c, 0).downgrade(validate.toBuilder().setVersion("three").build()),
                    Status.Code.INVALID_ARGUMENT, "etcdserver: wrong downgrade target version format");
            assertRefused(() -> maintenance(c, 0).downgrade(validate.toBuilder()
                            .setAction(DowngradeRequest.DowngradeAction.CANCEL).build()),
                    Status.Code.FAILED_PRECONDITION, "etcdserver: no inflight downgrade job");
        }
    }

    static MaintenanceGrpc.MaintenanceBlockingStub maintenance(EtcdCluster c, int i) {
        return MaintenanceGrpc.newBlockingStub(c.channel(i)).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    private static List<AlarmMember> alarms(EtcdCluster c, int i) {
        return maintenance(c, i).alarm(AlarmRequest.newBuilder().setAction(AlarmAction.GET).build()).getAlarmsList();
    }

    private static AlarmMember alarm(long member, AlarmType type) {
        return AlarmMember.newBuilder().setMemberID(member).setAlarm(type).build();
    }

    static PutRequest put(String k, String v) {
        return PutRequest.newBuilder().setKey(key(k)).setValue(key(v)).build();
    }

    static ByteString key(String s) {
        return ByteString.copyFromUtf8(s);
    }

    private static void assertRefused(ThrowingCallable call, Status.Code code, String text) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertEtcdError(e, code, text));
    }

    private static void assertEtcdError(StatusRuntimeException e, Status.Code code, String text) {
        assertThat(e.getStatus().getCode()).isEqualTo(code);
        assertThat(e.getStatus().getDescription()).isEqualTo(text);
    }

    /** "status body" of a GET on member 0's client port. */
    private static String httpGet(EtcdCluster c, String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(
                            c.member(0).settings().listenClientUrls().get(0) + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
