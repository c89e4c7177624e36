package io.etcdj.robustness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmResponse;
import io.etcdj.api.etcdserverpb.AlarmType;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DefragmentRequest;
import io.etcdj.api.etcdserverpb.MaintenanceGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.robustness.cluster.MemberLauncher;
import io.etcdj.robustness.cluster.SoloMember;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scenario 12: limits and bad input on one member, each answered with etcd's gRPC code and text
 * (the texts clients match on), and a member that fills its quota recovers the way an operator
 * recovers etcd: NOSPACE alarm, compact, defragment, disarm, and writes work again.
 */
class LimitsScenarioIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final int MAX_REQUEST_BYTES = 1536 * 1024; // etcd's default --max-request-bytes

    @Test
    void oversizedAndMalformedRequestsGetEtcdsErrors() throws Exception {
        try (SoloMember m = new SoloMember(MemberLauncher.fromSystemProperties())) {
            m.start();
            m.awaitServing(START);

            // The limit is on the whole request: 1.5 MiB of value plus the key and framing is over it.
            assertError(() -> m.kv(10).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("big"))
                            .setValue(ByteString.copyFrom(new byte[MAX_REQUEST_BYTES + 1])).build()),
                    Status.Code.INVALID_ARGUMENT, "etcdserver: request is too large");
            m.put("small", "ok"); // the member is fine afterwards

            TxnRequest.Builder many = TxnRequest.newBuilder();
            for (int i = 0; i < 129; i++) {
                many.addSuccess(put("txn" + i, "v"));
            }
            assertError(() -> m.kv(10).txn(many.build()),
                    Status.Code.INVALID_ARGUMENT, "etcdserver: too many operations in txn request");
            TxnRequest.Builder max = TxnRequest.newBuilder();
            for (int i = 0; i < 128; i++) {
                max.addSuccess(put("txn" + i, "v"));
            }
            assertThat(m.kv(10).txn(max.build()).getSucceeded()).as("128 operations are allowed").isTrue();

            assertError(() -> m.kv(10).txn(TxnRequest.newBuilder().addSuccess(put("dup", "1")).addSuccess(put("dup", "2"))
                            .build()),
                    Status.Code.INVALID_ARGUMENT, "etcdserver: duplicate key given in txn request");

            long rev = m.put("rev", "x");
            m.kv(10).compact(CompactionRequest.newBuilder().setRevision(rev).build());
            assertError(() -> m.kv(10).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("rev"))
                            .setRevision(rev - 1).build()),
                    Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
            assertError(() -> m.kv(10).range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("rev"))
                            .setRevision(rev + 1000).build()),
                    Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
            assertError(() -> m.kv(10).compact(CompactionRequest.newBuilder().setRevision(rev).build()),
                    Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision has been compacted");
            assertError(() -> m.kv(10).compact(CompactionRequest.newBuilder().setRevision(rev + 1000).build()),
                    Status.Code.OUT_OF_RANGE, "etcdserver: mvcc: required revision is a future revision");
        }
    }

    @Test
    void aFullQuotaRaisesNospaceAndCompactDefragDisarmRecovers() throws Exception {
        MemberLauncher launcher = MemberLauncher.fromSystemProperties().withFlag("quota-backend-bytes",
                Integer.toString(8 * 1024 * 1024));
        try (SoloMember m = new SoloMember(launcher)) {
            m.start();
            m.awaitServing(START);
            byte[] chunk = new byte[256 * 1024];
            new Random(12).nextBytes(chunk); // incompressible
            long last = 0;
            StatusRuntimeException full = null;
            for (int i = 0; i < 400 && full == null; i++) { // 100 MiB at most: far past an 8 MiB quota
                try {
                    last = m.kv(10).put(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("fill" + (i % 4)))
                            .setValue(ByteString.copyFrom(chunk)).build()).getHeader().getRevision();
                } catch (StatusRuntimeException e) {
                    full = e;
                }
            }
            assertThat(full).as("a write refused once the quota is full").isNotNull();
            assertThat(full.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(full.getStatus().getDescription()).isEqualTo("etcdserver: mvcc: database space exceeded");
            MaintenanceGrpc.MaintenanceBlockingStub maintenance = MaintenanceGrpc.newBlockingStub(m.channel())
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            AlarmResponse alarms = maintenance.alarm(AlarmRequest.newBuilder()
                    .setAction(AlarmRequest.AlarmAction.GET).build());
            assertThat(alarms.getAlarmsList()).as("the NOSPACE alarm").anyMatch(a -> a.getAlarm() == AlarmType.NOSPACE);
            assertError(() -> m.put("more", "x"), Status.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded");
            assertThat(m.get("fill0")).as("reads still work").isNotNull();

            m.kv(30).compact(CompactionRequest.newBuilder().setRevision(last).setPhysical(true).build());
            maintenance.defragment(DefragmentRequest.getDefaultInstance());
            // Still armed: writes wait for the operator to disarm.
            assertError(() -> m.put("more", "x"), Status.Code.RESOURCE_EXHAUSTED, "etcdserver: mvcc: database space exceeded");
            for (var a : alarms.getAlarmsList()) {
                maintenance.alarm(AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.DEACTIVATE)
                        .setMemberID(a.getMemberID()).setAlarm(a.getAlarm()).build());
            }
            m.put("more", "x");
            assertThat(m.get("more")).isEqualTo("x");
        }
    }

    private static RequestOp put(String key, String value) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value))).build();
    }

    private static void assertError(Runnable call, Status.Code code, String text) {
        StatusRuntimeException e = catchThrowableOfType(call::run, StatusRuntimeException.class);
        assertThat(e).as("an error %s %s", code, text).isNotNull();
        assertThat(e.getStatus().getCode()).as("code of '%s'", text).isEqualTo(code);
        assertThat(e.getStatus().getDescription()).isEqualTo(text);
    }
}
