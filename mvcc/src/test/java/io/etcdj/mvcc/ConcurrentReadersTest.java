package io.etcdj.mvcc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.backend.Backend;

/**
 * Readers at random historical revisions run while one writer puts and compacts (physical deletion in
 * the background): every read either fails as compacted or returns exactly the values of its revision.
 */
class ConcurrentReadersTest {
    @TempDir
    Path dir;

    @Test
    void readsStayConsistentWhileWritingAndCompacting() throws Exception {
        long seed = Long.getLong("mvcc.concurrent.seed", new Random().nextLong());
        try (Backend backend = Backend.open(dir); KvStore store = KvStore.open(backend)) {
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> problems = new ConcurrentLinkedQueue<>();
            AtomicLong reads = new AtomicLong();
            Thread[] readers = new Thread[2];
            for (int t = 0; t < readers.length; t++) {
                Random random = new Random(seed + t);
                readers[t] = new Thread(() -> {
                    while (!done.get()) {
                        try (TxnRead txn = store.read()) {
                            long lo = Math.max(1, txn.firstRev());
                            if (txn.rev() < lo) {
                                continue;
                            }
                            long at = random.nextLong(lo, txn.rev() + 1);
                            List<KeyValue> kvs = txn.range(KeyRange.prefix(b("k")), RangeOptions.atRevision(at)).kvs();
                            for (KeyValue kv : kvs) {
                                long written = Long.parseLong(kv.getValue().toStringUtf8());
                                if (written != kv.getModRevision() || written > at) {
                                    problems.add(new AssertionError("read at " + at + " got " + kv));
                                }
                            }
                            if (at >= 6 && kvs.size() != 5) {
                                problems.add(new AssertionError("read at " + at + " saw " + kvs.size() + " keys"));
                            }
                            reads.incrementAndGet();
                        } catch (MvccException e) {
                            if (!e.getMessage().equals(MvccException.COMPACTED)) {
                                problems.add(e);
                            }
                        } catch (Throwable e) {
                            problems.add(e);
                        }
                    }
                });
                readers[t].start();
            }
            for (long rev = 2; rev <= 3001; rev++) {
                try (TxnWrite txn = store.write()) {
                    txn.put(b("k" + rev % 5), b(Long.toString(rev)), 0); // the txn's own revision
                }
                if (rev % 300 == 0) {
                    store.compact(rev - 100);
                }
            }
            store.pendingCompaction().get(60, TimeUnit.SECONDS);
            done.set(true);
            for (Thread t : readers) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertThat(problems).as("seed %d", seed).isEmpty();
            assertThat(reads.get()).isPositive();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
