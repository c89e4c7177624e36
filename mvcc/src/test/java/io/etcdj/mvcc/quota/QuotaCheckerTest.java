package io.etcdj.mvcc.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import io.etcdj.api.etcdserverpb.AlarmType;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.alarm.AlarmStore;
import io.etcdj.mvcc.backend.Backend;

class QuotaCheckerTest {
    @TempDir
    Path dir;

    private static PutRequest put(int valueBytes) {
        return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFrom(new byte[valueBytes])).build();
    }

    @Test
    void costsFollowEtcd() {
        assertThat(QuotaChecker.cost(put(10))).isEqualTo(256 + 1 + 10);
        TxnRequest txn = TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestPut(put(10)))
                .addSuccess(RequestOp.newBuilder().setRequestPut(put(10)))
                .addFailure(RequestOp.newBuilder().setRequestPut(put(100)))
                .build();
        assertThat(QuotaChecker.cost(txn)).isEqualTo(2 * 267);
        assertThat(QuotaChecker.cost(LeaseGrantRequest.getDefaultInstance())).isEqualTo(64);
    }

    @Test
    void aFullBackendRefusesGrowingRequestsWithNoSpaceAndTheAlarmPersists() {
        try (Backend backend = Backend.open(dir)) {
            long size = backend.size().total();
            QuotaChecker roomy = new QuotaChecker(backend, size + 10_000);
            roomy.check(put(100));
            QuotaChecker tight = new QuotaChecker(backend, size + 300);
            assertThat(tight.available(put(10))).isTrue();
            assertThatThrownBy(() -> tight.check(put(100)))
                    .isInstanceOf(MvccException.class)
                    .hasMessage("etcdserver: mvcc: database space exceeded")
                    .extracting(e -> ((MvccException) e).grpcCode()).isEqualTo("RESOURCE_EXHAUSTED");
            assertThat(tight.available(RangeRequest.getDefaultInstance())).isTrue();
            assertThat(new QuotaChecker(backend, 0).quotaBytes()).isEqualTo(2L << 30);
            assertThat(new QuotaChecker(backend, -1).available(put(1 << 20))).isTrue();

            AlarmStore alarms = new AlarmStore(backend);
            assertThat(alarms.activate(1, AlarmType.NOSPACE)).isNotNull();
            assertThat(alarms.activate(1, AlarmType.NOSPACE)).isNull();
        }
        try (Backend backend = Backend.open(dir)) {
            AlarmStore alarms = new AlarmStore(backend);
            assertThat(alarms.isActive(AlarmType.NOSPACE)).isTrue();
            assertThat(alarms.list(AlarmType.NONE)).hasSize(1);
            assertThat(alarms.deactivate(1, AlarmType.NOSPACE)).isNotNull();
            assertThat(alarms.isActive(AlarmType.NOSPACE)).isFalse();
        }
    }
}
