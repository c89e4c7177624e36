package io.etcdj.server.proxy.grpcproxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.mvccpb.KeyValue;
import org.junit.jupiter.api.Test;

/** --namespace key rewriting: keys move into the prefix on the way up and out of it on the way down. */
class KeyNamespaceTest {
    private final KeyNamespace ns = new KeyNamespace("/app/");

    private static ByteString b(String s) {
        return ByteString.copyFromUtf8(s);
    }

    @Test
    void aSingleKeyAndARangeMoveIntoThePrefix() {
        RangeRequest single = ns.range(RangeRequest.newBuilder().setKey(b("k")).build());
        assertThat(single.getKey()).isEqualTo(b("/app/k"));
        assertThat(single.getRangeEnd()).isEmpty();
        RangeRequest range = ns.range(RangeRequest.newBuilder().setKey(b("a")).setRangeEnd(b("c")).build());
        assertThat(range.getRangeEnd()).isEqualTo(b("/app/c"));
    }

    @Test
    void fromKeyToTheEndOfTheKeySpaceStopsAtTheEndOfThePrefix() {
        RangeRequest all = ns.range(RangeRequest.newBuilder().setKey(b("\0")).setRangeEnd(b("\0")).build());
        assertThat(all.getKey()).isEqualTo(b("/app/\0"));
        assertThat(all.getRangeEnd()).isEqualTo(b("/app0")); // '/' + 1 = '0'
    }

    @Test
    void answersShowKeysWithoutThePrefix() {
        RangeResponse r = ns.range(RangeResponse.newBuilder()
                .addKvs(KeyValue.newBuilder().setKey(b("/app/k")).setValue(b("v"))).build());
        assertThat(r.getKvs(0).getKey()).isEqualTo(b("k"));
    }

    @Test
    void aTxnHasItsComparesAndOperationsRewritten() {
        TxnRequest t = ns.txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(b("c")))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(b("p"))))
                .addFailure(RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder()
                        .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(b("r"))))))
                .build());
        assertThat(t.getCompare(0).getKey()).isEqualTo(b("/app/c"));
        assertThat(t.getSuccess(0).getRequestPut().getKey()).isEqualTo(b("/app/p"));
        assertThat(t.getFailure(0).getRequestTxn().getSuccess(0).getRequestRange().getKey()).isEqualTo(b("/app/r"));
    }

    @Test
    void withoutANamespaceNothingChanges() {
        RangeRequest r = RangeRequest.newBuilder().setKey(b("k")).setRangeEnd(b("\0")).build();
        assertThat(new KeyNamespace("").range(r)).isSameAs(r);
    }
}
