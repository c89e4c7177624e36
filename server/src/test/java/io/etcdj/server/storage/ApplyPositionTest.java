package io.etcdj.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every applied write leaves the backend at its entry, whether or not it changed a key: a snapshot
 * taken right after such an entry must not find the backend one entry behind (found by the
 * robustness suite: a leader that crashed at raftAfterWALRelease right after a failed
 * compare-and-set could not restart).
 */
class ApplyPositionTest {
    @TempDir
    Path dir;

    @Test
    void writesThatChangeNothingStillRecordTheirEntry() {
        try (MvccServerBackend b = MvccServerBackend.open(dir.resolve("db"))) {
            b.setApplyPosition(5, 2);
            b.put(PutRequest.newBuilder().setKey(bytes("a")).setValue(bytes("1")).build());
            assertThat(b.consistentIndex()).isEqualTo(5);

            b.setApplyPosition(6, 2);
            b.txn(TxnRequest.newBuilder()
                    .addCompare(Compare.newBuilder().setKey(bytes("a")).setTarget(Compare.CompareTarget.VERSION)
                            .setResult(Compare.CompareResult.EQUAL).setVersion(0))
                    .addSuccess(RequestOp.newBuilder().setRequestPut(
                            PutRequest.newBuilder().setKey(bytes("a")).setValue(bytes("2"))))
                    .build());
            assertThat(b.consistentIndex()).as("a txn whose compare failed").isEqualTo(6);

            b.setApplyPosition(7, 2);
            b.txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestRange(
                    RangeRequest.newBuilder().setKey(bytes("a")))).build());
            assertThat(b.consistentIndex()).as("a txn of reads").isEqualTo(7);

            b.setApplyPosition(8, 2);
            b.deleteRange(DeleteRangeRequest.newBuilder().setKey(bytes("missing")).build());
            assertThat(b.consistentIndex()).as("a delete of no key").isEqualTo(8);
            assertThat(b.currentRevision()).isEqualTo(2);
        }
    }

    private static ByteString bytes(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
