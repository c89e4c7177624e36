package io.etcdj.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.mvcc.backend.MetaKeys;

/** --experimental-compaction-batch-limit: a physical compaction commits in batches of that many revisions. */
class CompactionPacingTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void put(KvStore store, String key, String value) {
        try (TxnWrite txn = store.write()) {
            txn.put(b(key), b(value), 0);
        }
    }

    private static int storedRevisions(Backend backend) {
        int[] n = {0};
        backend.forEach(Bucket.KEY, null, null, (k, v) -> {
            n[0]++;
            return true;
        });
        return n[0];
    }

    @Test
    void aCompactionOfMoreRevisionsThanTheLimitCommitsOneBatchPerLimitAndFinishes() throws Exception {
        AtomicInteger batches = new AtomicInteger();
        try (Backend backend = Backend.open(dir);
             KvStore store = KvStore.open(backend, new CompactionPacing(100, Duration.ZERO))) {
            backend.onFailpoint(name -> {
                if (name.equals("compactAfterCommitBatch")) {
                    batches.incrementAndGet();
                }
            });
            for (int i = 0; i < 2500; i++) {
                put(store, "k", "v" + i); // revisions 2..2501
            }
            store.compact(2501).get(30, TimeUnit.SECONDS);

            // 2500 revisions at or below 2501, looked at 100 at a time; only the last one is kept
            assertThat(batches).hasValue(25);
            assertThat(storedRevisions(backend)).isEqualTo(1);
            assertThat(Revision.fromBytes(backend.get(Bucket.META, MetaKeys.FINISHED_COMPACT_REV)).main())
                    .isEqualTo(2501);
            try (TxnRead txn = store.read()) {
                assertThat(txn.range(KeyRange.single(b("k")), RangeOptions.atRevision(2501)).kvs().get(0)
                        .getValue().toStringUtf8()).isEqualTo("v2499");
            }
        }
    }

    @Test
    void theDefaultLimitIsEtcds1000() throws Exception {
        AtomicInteger batches = new AtomicInteger();
        try (Backend backend = Backend.open(dir); KvStore store = KvStore.open(backend)) {
            backend.onFailpoint(name -> {
                if (name.equals("compactAfterCommitBatch")) {
                    batches.incrementAndGet();
                }
            });
            for (int i = 0; i < 2500; i++) {
                put(store, "k" + (i % 10), "v" + i);
            }
            store.compact(2501).get(30, TimeUnit.SECONDS);
            assertThat(batches).hasValue(3); // 1000 + 1000 + 500
            assertThat(storedRevisions(backend)).isEqualTo(10);
        }
    }

    @Test
    void aWriteGoesThroughWhileACompactionIsBetweenBatches() throws Exception {
        CountDownLatch betweenBatches = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        try (Backend backend = Backend.open(dir);
             KvStore store = KvStore.open(backend, new CompactionPacing(50, Duration.ZERO))) {
            for (int i = 0; i < 200; i++) {
                put(store, "k", "v" + i);
            }
            backend.onFailpoint(name -> {
                if (name.equals("compactAfterCommitBatch") && betweenBatches.getCount() == 1) {
                    betweenBatches.countDown();
                    try {
                        // the compaction stays here until the test's write has been committed
                        assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            var compaction = store.compact(201);
            assertThat(betweenBatches.await(30, TimeUnit.SECONDS)).isTrue();
            put(store, "w", "during");
            assertThat(compaction).isNotDone();
            written.countDown();
            compaction.get(30, TimeUnit.SECONDS);
            assertThat(store.rev()).isEqualTo(202);
            assertThat(storedRevisions(backend)).isEqualTo(2); // k at 201, w at 202
        }
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> new CompactionPacing(0, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
