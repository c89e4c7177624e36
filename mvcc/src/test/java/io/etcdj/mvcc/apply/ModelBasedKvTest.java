package io.etcdj.mvcc.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.protobuf.Message;

import io.etcdj.mvcc.SeededRuns;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.backend.Backend;

/**
 * Seeded random sequences of Range / Put / DeleteRange / Txn / Compact (and store reopens) applied both
 * to the RocksDB-backed store and to {@link ModelStore}; every response and every error must be equal.
 *
 * <p>Replay one sequence: {@code mvn -pl mvcc -am test -Dtest=ModelBasedKvTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dmvcc.model.seed=<seed>}.
 */
class ModelBasedKvTest {
    private static final int SEQUENCES = Integer.getInteger("mvcc.model.sequences", 200);
    private static final int STEPS = Integer.getInteger("mvcc.model.steps", 60);
    private static final LongPredicate LEASES = id -> id != 3;

    @TempDir
    Path dir;

    @Test
    void storeAnswersLikeTheModel() throws Exception {
        SeededRuns.run("mvcc.model.seed", SEQUENCES, this::runSequence);
    }

    private void runSequence(long seed) throws Exception {
        Random random = new Random(seed);
        RequestGenerator gen = new RequestGenerator(random);
        ModelStore model = new ModelStore(LEASES);
        Path db = dir.resolve("seq-" + seed);
        Backend backend = Backend.open(db);
        KvStore store = KvStore.open(backend);
        StringBuilder trace = new StringBuilder();
        try {
            for (int step = 0; step < STEPS; step++) {
                gen.setRevisionHint(model.rev);
                KvRequestExecutor exec = new KvRequestExecutor(store, LEASES);
                int kind = random.nextInt(100); // 30% range, 25% put, 10% delete, 28% txn, 5% compact, 2% reopen
                String what;
                if (kind < 30) {
                    var r = gen.range();
                    what = "range " + r;
                    compare(seed, step, what, () -> exec.range(r), () -> model.range(r));
                } else if (kind < 55) {
                    var r = gen.put();
                    what = "put " + r;
                    compare(seed, step, what, () -> exec.put(r), () -> model.put(r));
                } else if (kind < 65) {
                    var r = gen.delete();
                    what = "delete " + r;
                    compare(seed, step, what, () -> exec.deleteRange(r), () -> model.deleteRange(r));
                } else if (kind < 93) {
                    var r = gen.txn(0);
                    what = "txn " + r;
                    compare(seed, step, what, () -> exec.txn(r), () -> model.txn(r));
                } else if (kind < 98) {
                    long at = random.nextLong(Math.max(0, model.compactRev - 1), model.rev + 2);
                    what = "compact " + at;
                    CompactionRequest r = CompactionRequest.newBuilder().setRevision(at).build();
                    compare(seed, step, what, () -> {
                        var result = exec.compact(r);
                        if (random.nextBoolean()) {
                            result.physical().join();
                        }
                        return null;
                    }, () -> {
                        model.compact(at);
                        return null;
                    });
                } else {
                    what = "reopen";
                    store.close();
                    backend.close();
                    backend = Backend.open(db);
                    store = KvStore.open(backend);
                    store.pendingCompaction().get(30, TimeUnit.SECONDS);
                    assertThat(store.rev()).as(failure(seed, step, what)).isEqualTo(model.rev);
                    assertThat(store.compactRevision()).as(failure(seed, step, what)).isEqualTo(model.compactRev);
                }
                trace.append(step).append(": ").append(what.replace('\n', ' ')).append('\n');
                assertThat(store.rev()).as(failure(seed, step, what)).isEqualTo(model.rev);
            }
        } catch (AssertionError e) {
            System.err.println("--- history of failing seed " + seed + "\n" + trace);
            throw e;
        } finally {
            store.close();
            backend.close();
        }
    }

    private static String failure(long seed, int step, String what) {
        return "seed " + seed + " step " + step + " (" + what + "); replay with -Dmvcc.model.seed=" + seed;
    }

    private static void compare(long seed, int step, String what, Supplier<Message> store, Supplier<Message> model) {
        Message expected = null;
        MvccException expectedError = null;
        try {
            expected = model.get();
        } catch (MvccException e) {
            expectedError = e;
        }
        Message actual = null;
        try {
            actual = store.get();
        } catch (MvccException e) {
            if (expectedError == null) {
                fail(failure(seed, step, what) + ": store failed with '" + e.getMessage() + "', model answered " + expected);
            }
            assertThat(e.getMessage()).as(failure(seed, step, what)).isEqualTo(expectedError.getMessage());
            assertThat(e.grpcCode()).isEqualTo(expectedError.grpcCode());
            return;
        }
        if (expectedError != null) {
            fail(failure(seed, step, what) + ": model failed with '" + expectedError.getMessage()
                    + "', store answered " + actual);
        }
        assertThat(actual).as(failure(seed, step, what)).isEqualTo(expected);
    }
}
