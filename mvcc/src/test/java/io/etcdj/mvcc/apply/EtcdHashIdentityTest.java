package io.etcdj.mvcc.apply;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.backend.Backend;

/**
 * The same history given to etcd 3.4.23 (through its JSON gateway) yields the same HashKV values here:
 * the revision keys, the KeyValue bytes and the CRC-32C over them are etcd's. Reference values were read
 * with {@code etcdctl endpoint hashkv [--rev 5]} after exactly these requests on a fresh member.
 */
class EtcdHashIdentityTest {
    @TempDir
    Path dir;

    private static ByteString s(String v) {
        return ByteString.copyFromUtf8(v);
    }

    private static RequestOp put(String k, String v) {
        return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(s(k)).setValue(s(v))).build();
    }

    private static RequestOp txn(RequestOp op) {
        return RequestOp.newBuilder().setRequestTxn(TxnRequest.newBuilder().addSuccess(op)).build();
    }

    @Test
    void hashKvMatchesEtcdForTheSameHistory() {
        try (Backend backend = Backend.open(dir); KvStore store = KvStore.open(backend)) {
            KvRequestExecutor kv = new KvRequestExecutor(store, id -> true);
            for (String[] p : new String[][] {{"a", "1"}, {"ab", "2"}, {"abc", "3"}, {"b", "4"}, {"abc", "x"}}) {
                kv.put(PutRequest.newBuilder().setKey(s(p[0])).setValue(s(p[1])).build());
            }
            kv.txn(TxnRequest.newBuilder().addSuccess(txn(put("q", "1")))
                    .addSuccess(txn(RequestOp.newBuilder().setRequestDeleteRange(
                            DeleteRangeRequest.newBuilder().setKey(s("q"))).build())).build());
            kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder().setRequestDeleteRange(
                    DeleteRangeRequest.newBuilder().setKey(s("q")).setRangeEnd(ByteString.copyFrom(new byte[1]))))
                    .addSuccess(put("r", "1")).build());
            kv.compact(CompactionRequest.newBuilder().setRevision(0).build()).physical().join();

            assertThat(store.rev()).isEqualTo(8);
            assertThat(Integer.toUnsignedLong(store.hashKv(0).hash())).isEqualTo(1547278089L);
            assertThat(Integer.toUnsignedLong(store.hashKv(5).hash())).isEqualTo(866943751L);
            assertThat(store.hashKv(0).compactRev()).isZero();
        }
    }
}
