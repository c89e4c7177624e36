package io.etcdj.mvcc.lease;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.ByteString;

import io.etcdj.mvcc.SeededRuns;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.RequestOp;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.RangeOptions;
import io.etcdj.mvcc.TxnRead;
import io.etcdj.mvcc.apply.KvRequestExecutor;
import io.etcdj.mvcc.backend.Backend;

/**
 * Seeded random puts (with and without leases, ignore_lease), deletes, txns, grants, revokes, expiries and
 * restarts through the real request executor; after every step each lease's attached keys must be exactly
 * the live keys whose {@code lease} field names it, and revoked leases must have left no key behind.
 *
 * <p>Replay: {@code -Dlease.seed=<seed>}.
 */
class LeaseAttachmentModelTest {
    private static final int SEQUENCES = Integer.getInteger("lease.sequences", 20);
    private static final int STEPS = 120;

    @TempDir
    Path dir;

    @Test
    void attachmentsAlwaysMatchTheStore() throws Exception {
        SeededRuns.run("lease.seed", SEQUENCES, this::runChecked);
    }

    private void runChecked(long seed) {
        try {
            run(seed);
        } catch (Throwable t) {
            throw new AssertionError("failed with seed " + seed + "; replay with -Dlease.seed=" + seed, t);
        }
    }

    private Backend backend;
    private KvStore store;
    private Lessor lessor;

    private void open(Path db, FakeClock clock) {
        backend = Backend.open(db);
        store = KvStore.open(backend);
        lessor = Lessor.open(store, LessorConfig.defaults(), clock);
        store.setWriteListener(lessor.keyAttachments(null));
    }

    private void close() {
        store.close();
        backend.close();
    }

    private void run(long seed) {
        Random rnd = new Random(seed);
        FakeClock clock = new FakeClock();
        Path db = dir.resolve("db-" + seed);
        open(db, clock);
        try {
            lessor.promote(0);
            for (int step = 0; step < STEPS; step++) {
                KvRequestExecutor kv = new KvRequestExecutor(store, lessor::exists);
                long lease = 1 + rnd.nextInt(4);
                try {
                    switch (rnd.nextInt(10)) {
                        case 0 -> lessor.grant(lease, 5 + rnd.nextInt(20));
                        case 1 -> lessor.revoke(lease);
                        case 2 -> kv.put(put(rnd).setIgnoreLease(true).setLease(0).build());
                        case 3 -> kv.deleteRange(DeleteRangeRequest.newBuilder().setKey(key(rnd))
                                .setRangeEnd(rnd.nextBoolean() ? ByteString.EMPTY : ByteString.copyFromUtf8("k4"))
                                .build());
                        case 4 -> kv.txn(TxnRequest.newBuilder()
                                .addSuccess(RequestOp.newBuilder().setRequestPut(put(rnd).setKey(ByteString.copyFromUtf8("k1"))))
                                .addSuccess(RequestOp.newBuilder().setRequestPut(put(rnd).setKey(ByteString.copyFromUtf8("k7"))))
                                .build());
                        case 5 -> {
                            clock.advance(Duration.ofSeconds(rnd.nextInt(10)));
                            for (long id : lessor.expiredLeases(10)) {
                                lessor.revoke(id);
                            }
                        }
                        case 6 -> {
                            if (rnd.nextInt(4) == 0) {
                                close();
                                open(db, clock);
                                lessor.promote(0);
                            }
                        }
                        default -> kv.put(put(rnd).build());
                    }
                } catch (MvccException expected) {
                    // lease not found / exists, key not found: the state must be unchanged and consistent
                }
                checkAttachments();
            }
        } finally {
            close();
        }
    }

    private static ByteString key(Random rnd) {
        return ByteString.copyFromUtf8("k" + rnd.nextInt(8));
    }

    private static PutRequest.Builder put(Random rnd) {
        return PutRequest.newBuilder().setKey(key(rnd)).setValue(ByteString.copyFromUtf8("v" + rnd.nextInt(100)))
                .setLease(rnd.nextInt(3) == 0 ? 0 : 1 + rnd.nextInt(4));
    }

    private void checkAttachments() {
        Map<Long, TreeSet<String>> fromStore = new HashMap<>();
        List<KeyValue> kvs;
        try (TxnRead txn = store.read()) {
            kvs = new ArrayList<>(txn.range(KeyRange.of(new byte[] {0}, new byte[] {0}), RangeOptions.LATEST).kvs());
        }
        for (KeyValue kv : kvs) {
            if (kv.getLease() != 0) {
                assertThat(lessor.exists(kv.getLease())).as("key %s names a live lease", kv.getKey().toStringUtf8())
                        .isTrue();
                fromStore.computeIfAbsent(kv.getLease(), k -> new TreeSet<>()).add(kv.getKey().toStringUtf8());
            }
            assertThat(lessor.leaseOf(kv.getKey())).isEqualTo(kv.getLease());
        }
        for (LeaseInfo l : lessor.leases()) {
            TreeSet<String> attached = new TreeSet<>();
            lessor.timeToLive(l.id(), true).keys().forEach(k -> attached.add(k.toStringUtf8()));
            assertThat(attached).as("keys of lease %d", l.id()).isEqualTo(fromStore.getOrDefault(l.id(), new TreeSet<>()));
        }
    }
}
