package io.etcdj.server.v3;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import org.junit.jupiter.api.Test;

/** --max-txn-ops applies to the largest of compare/success/failure at every nesting level. */
class TxnLimitTest {
    @Test
    void theLimitCountsTheLargestListOfEachLevel() {
        TxnRequest atLimit = txn(2, 2, 1);
        assertThat(KvService.tooManyOps(atLimit, 2)).isFalse();
        assertThat(KvService.tooManyOps(txn(3, 0, 0), 2)).isTrue();
        assertThat(KvService.tooManyOps(txn(0, 0, 3), 2)).isTrue();
        TxnRequest nested = TxnRequest.newBuilder()
                .addSuccess(RequestOp.newBuilder().setRequestTxn(txn(0, 3, 0))).build();
        assertThat(KvService.tooManyOps(nested, 2)).isTrue();
    }

    private static TxnRequest txn(int compares, int success, int failure) {
        TxnRequest.Builder b = TxnRequest.newBuilder();
        for (int i = 0; i < compares; i++) {
            b.addCompare(Compare.getDefaultInstance());
        }
        for (int i = 0; i < success; i++) {
            b.addSuccess(RequestOp.getDefaultInstance());
        }
        for (int i = 0; i < failure; i++) {
            b.addFailure(RequestOp.getDefaultInstance());
        }
        return b.build();
    }
}
