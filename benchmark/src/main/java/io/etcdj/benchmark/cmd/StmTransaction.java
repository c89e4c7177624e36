package io.etcdj.benchmark.cmd;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.Compare;
import io.etcdj.api.etcdserverpb.KVGrpc;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.benchmark.client.ClientChannels;
import io.etcdj.benchmark.load.Keys;
import io.etcdj.benchmark.load.Operation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One STM transaction, driven asynchronously: read each key in turn, then commit a Txn whose
 * comparisons depend on the isolation level, and start over from the reads when the comparison
 * fails. Isolation levels (as clientv3 concurrency defines them):
 * <ul>
 *   <li>c (read committed): no comparison;
 *   <li>r (repeatable reads): every read key still has the mod revision it was read at;
 *   <li>s (serializable): reads after the first are served at the first read's revision
 *       (serializable reads); every read key is unmodified since that revision;
 *   <li>ss (serializable snapshot): as s, and the written keys are unmodified since it too.
 * </ul>
 * Reads are sequential, so a transaction is a chain of callbacks; no thread ever waits.
 */
final class StmTransaction {
    enum Isolation {
        READ_COMMITTED, REPEATABLE_READS, SERIALIZABLE, SERIALIZABLE_SNAPSHOT;

        static Isolation of(String flag) {
            return switch (flag) {
                case "c" -> READ_COMMITTED;
                case "r" -> REPEATABLE_READS;
                case "s" -> SERIALIZABLE;
                case "ss" -> SERIALIZABLE_SNAPSHOT;
                default -> throw new IllegalArgumentException("unknown isolation " + flag);
            };
        }
    }

    private final ClientChannels ch;
    private final Isolation iso;
    private final List<ByteString> keys;
    private final int writes;
    private final int valSize;
    private final Operation.Completion done;
    private final long[] readModRevisions;
    private long snapshotRevision;
    private int next;

    StmTransaction(ClientChannels ch, Isolation iso, int keyCount, int keysPerTxn, int writePercent, int valSize,
            Operation.Completion done) {
        this.ch = ch;
        this.iso = iso;
        Set<ByteString> set = new LinkedHashSet<>();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (set.size() < keysPerTxn) {
            set.add(ByteString.copyFrom(Keys.varintKey(16, rnd.nextInt(keyCount))));
        }
        this.keys = new ArrayList<>(set);
        this.writes = (int) (keys.size() * writePercent / 100.0f);
        this.valSize = valSize;
        this.done = done;
        this.readModRevisions = new long[keys.size()];
    }

    void start() {
        snapshotRevision = 0;
        next = 0;
        readNext();
    }

    private void readNext() {
        if (next == keys.size()) {
            commit();
            return;
        }
        RangeRequest.Builder r = RangeRequest.newBuilder().setKey(keys.get(next));
        boolean snapshot = iso == Isolation.SERIALIZABLE || iso == Isolation.SERIALIZABLE_SNAPSHOT;
        if (snapshot && snapshotRevision > 0) {
            r.setRevision(snapshotRevision).setSerializable(true);
        }
        ch.unary(KVGrpc.getRangeMethod(), r.build(), this::onRead);
    }

    private void onRead(RangeResponse resp, Throwable error) {
        if (error != null) {
            done.failed(error);
            return;
        }
        if (snapshotRevision == 0) {
            snapshotRevision = resp.getHeader().getRevision();
        }
        readModRevisions[next] = resp.getKvsCount() == 0 ? 0 : resp.getKvs(0).getModRevision();
        next++;
        readNext();
    }

    private void commit() {
        TxnRequest.Builder txn = TxnRequest.newBuilder();
        for (int i = 0; i < keys.size(); i++) {
            switch (iso) {
                case REPEATABLE_READS -> txn.addCompare(modRevision(keys.get(i), Compare.CompareResult.EQUAL,
                        readModRevisions[i]));
                case SERIALIZABLE, SERIALIZABLE_SNAPSHOT -> txn.addCompare(modRevision(keys.get(i),
                        Compare.CompareResult.LESS, snapshotRevision + 1));
                default -> { }
            }
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = 0; i < writes; i++) {
            byte[] value = new byte[valSize];
            rnd.nextBytes(value);
            txn.addSuccess(RequestOp.newBuilder().setRequestPut(
                    PutRequest.newBuilder().setKey(keys.get(i)).setValue(ByteString.copyFrom(value))));
            // Written keys are also read keys here, so ss adds no comparison beyond s's.
        }
        ch.unary(KVGrpc.getTxnMethod(), txn.build(), this::onCommit);
    }

    private void onCommit(TxnResponse resp, Throwable error) {
        if (error != null) {
            done.failed(error);
        } else if (resp.getSucceeded()) {
            done.ok();
        } else {
            start();
        }
    }

    private static Compare modRevision(ByteString key, Compare.CompareResult result, long revision) {
        return Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD).setResult(result)
                .setModRevision(revision).build();
    }
}
