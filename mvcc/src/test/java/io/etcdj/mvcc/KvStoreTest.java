package io.etcdj.mvcc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.etcdj.api.mvccpb.Event;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.BackendBatch;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.mvcc.backend.MetaKeys;

class KvStoreTest {
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

    private static void delete(KvStore store, String key) {
        try (TxnWrite txn = store.write()) {
            txn.deleteRange(KeyRange.single(b(key)));
        }
    }

    private static List<KeyValue> get(KvStore store, String key, long rev) {
        try (TxnRead txn = store.read()) {
            return txn.range(KeyRange.single(b(key)), RangeOptions.atRevision(rev)).kvs();
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
    void revisionsVersionsAndGenerations() {
        try (Backend backend = Backend.open(dir); KvStore store = KvStore.open(backend)) {
            assertThat(store.rev()).as("an empty store is at revision 1, like etcd").isEqualTo(1);
            assertThat(store.compactRevision()).isEqualTo(-1);
            put(store, "a", "1");       // rev 2
            put(store, "a", "2");       // rev 3
            delete(store, "a");         // rev 4
            put(store, "a", "3");       // rev 5
            KeyValue now = get(store, "a", 0).get(0);
            assertThat(now.getCreateRevision()).isEqualTo(5);
            assertThat(now.getModRevision()).isEqualTo(5);
            assertThat(now.getVersion()).isEqualTo(1);
            KeyValue then = get(store, "a", 3).get(0);
            assertThat(then.getValue().toStringUtf8()).isEqualTo("2");
            assertThat(then.getVersion()).isEqualTo(2);
            assertThat(then.getCreateRevision()).isEqualTo(2);
            assertThat(get(store, "a", 4)).isEmpty();
            assertThatThrownBy(() -> get(store, "a", 6)).hasMessage(MvccException.FUTURE_REV);
        }
    }

    @Test
    void oneRevisionPerWriteTxnWithSubRevisionsPerChange() {
        try (Backend backend = Backend.open(dir); KvStore store = KvStore.open(backend)) {
            List<Long> seen = new ArrayList<>();
            List<List<Event>> published = new ArrayList<>();
            store.setWriteListener((rev, events) -> {
                seen.add(rev);
                published.add(events);
            });
            put(store, "x", "old"); // 2
            try (TxnWrite txn = store.write()) {
                assertThat(txn.put(b("x"), b("new"), 7)).isEqualTo(3);
                assertThat(txn.put(b("y"), b("1"), 0)).isEqualTo(3);
                assertThat(txn.deleteRange(KeyRange.single(b("y")))).isEqualTo(new WriteView.DeleteResult(1, 3));
                assertThat(txn.rev()).isEqualTo(3);
            }
            try (TxnWrite txn = store.write()) {
                assertThat(txn.deleteRange(KeyRange.single(b("nothing")))).isEqualTo(new WriteView.DeleteResult(0, 3));
            }
            assertThat(store.rev()).isEqualTo(3);
            assertThat(seen).containsExactly(2L, 3L);
            List<Event> second = published.get(1);
            assertThat(second).extracting(Event::getType)
                    .containsExactly(Event.EventType.PUT, Event.EventType.PUT, Event.EventType.DELETE);
            assertThat(second).noneMatch(Event::hasPrevKv); // listeners read it at revision - 1 if they need it
            assertThat(second.get(0).getKv().getLease()).isEqualTo(7);
            assertThat(second.get(2).getKv().getModRevision()).isEqualTo(3);
            assertThat(store.events(1, 3)).hasSize(4);
        }
    }

    @Test
    void compactionKeepsTheLatestValueAtTheTargetAndSurvivesReopen() throws Exception {
        Path db = dir.resolve("db");
        try (Backend backend = Backend.open(db); KvStore store = KvStore.open(backend)) {
            put(store, "a", "1");   // 2
            put(store, "a", "2");   // 3
            put(store, "b", "1");   // 4
            delete(store, "b");     // 5
            put(store, "a", "3");   // 6
            put(store, "c", "1");   // 7
            store.compact(5).get(30, TimeUnit.SECONDS);
            // kept: a@3 (latest at 5), a@6, c@7; gone: a@2, b@4, b's tombstone @5
            assertThat(storedRevisions(backend)).isEqualTo(3);
            assertThat(get(store, "a", 5).get(0).getValue().toStringUtf8()).isEqualTo("2");
            assertThatThrownBy(() -> get(store, "a", 4)).hasMessage(MvccException.COMPACTED)
                    .extracting(e -> ((MvccException) e).grpcCode()).isEqualTo("OUT_OF_RANGE");
            assertThatThrownBy(() -> store.compact(5)).hasMessage(MvccException.COMPACTED);
            assertThatThrownBy(() -> store.compact(8)).hasMessage(MvccException.FUTURE_REV);
        }
        try (Backend backend = Backend.open(db); KvStore store = KvStore.open(backend)) {
            assertThat(store.rev()).isEqualTo(7);
            assertThat(store.compactRevision()).isEqualTo(5);
            KeyValue a = get(store, "a", 0).get(0);
            assertThat(a.getVersion()).isEqualTo(3);
            assertThat(a.getCreateRevision()).isEqualTo(2);
            assertThat(get(store, "a", 5).get(0).getVersion()).isEqualTo(2);
            assertThat(get(store, "b", 5)).isEmpty();
            put(store, "a", "4");
            assertThat(get(store, "a", 0).get(0).getVersion()).isEqualTo(4);
            assertThat(store.rev()).isEqualTo(8);
        }
    }

    @Test
    void compactingEverythingAtTheCurrentRevisionKeepsTheRevision() throws Exception {
        Path db = dir.resolve("db");
        try (Backend backend = Backend.open(db); KvStore store = KvStore.open(backend)) {
            put(store, "a", "1");
            delete(store, "a");
            store.compact(3).get(30, TimeUnit.SECONDS);
            assertThat(storedRevisions(backend)).isZero();
        }
        try (Backend backend = Backend.open(db); KvStore store = KvStore.open(backend)) {
            assertThat(store.rev()).isEqualTo(3);
            put(store, "a", "again");
            assertThat(get(store, "a", 0).get(0).getModRevision()).isEqualTo(4);
        }
    }

    @Test
    void reopenResumesAnUnfinishedCompaction() throws Exception {
        Path db = dir.resolve("db");
        try (Backend backend = Backend.open(db); KvStore store = KvStore.open(backend)) {
            for (int i = 0; i < 2500; i++) {
                put(store, "k" + (i % 10), "v" + i);
            }
            // as if the process died right after scheduling: scheduled recorded, nothing deleted
            BackendBatch batch = backend.newBatch();
            batch.put(Bucket.META, MetaKeys.SCHEDULED_COMPACT_REV, Revision.of(2000).toBytes());
            backend.commit(batch);
        }
        try (Backend backend = Backend.open(db); KvStore store = KvStore.open(backend)) {
            assertThat(store.compactRevision()).isEqualTo(2000);
            assertThatThrownBy(() -> get(store, "k0", 1999)).hasMessage(MvccException.COMPACTED);
            store.pendingCompaction().get(30, TimeUnit.SECONDS);
            // puts i = 0..2499 got revisions i + 2: 501 revisions above 2000, plus one kept per key
            assertThat(storedRevisions(backend)).isEqualTo(501 + 10);
            assertThat(Revision.fromBytes(backend.get(Bucket.META, MetaKeys.FINISHED_COMPACT_REV)).main()).isEqualTo(2000);
            assertThat(get(store, "k9", 2000).get(0).getValue().toStringUtf8()).isEqualTo("v1989");
        }
    }

    @Test
    void hashKvIsEqualOnStoresWithTheSameHistoryWhateverTheirCompactionProgress() throws Exception {
        long seed = Long.getLong("mvcc.hash.seed", new Random().nextLong());
        Random random = new Random(seed);
        try (Backend b1 = Backend.open(dir.resolve("one")); KvStore one = KvStore.open(b1);
                Backend b2 = Backend.open(dir.resolve("two")); KvStore two = KvStore.open(b2)) {
            for (int i = 0; i < 300; i++) {
                String key = "k" + random.nextInt(20);
                if (random.nextInt(4) == 0) {
                    delete(one, key);
                    delete(two, key);
                } else {
                    String v = "v" + random.nextInt(1000);
                    put(one, key, v);
                    put(two, key, v);
                }
            }
            long at = one.rev() / 2;
            one.compact(at).get(30, TimeUnit.SECONDS); // physically done on one
            HashKvResult h2before = two.hashKv(0);
            assertThat(one.hashKv(0).hash()).as("seed %d", seed).isNotEqualTo(h2before.hash());
            two.compact(at); // maybe not yet physically done on two
            HashKvResult h1 = one.hashKv(0);
            HashKvResult h2 = two.hashKv(0);
            assertThat(h1).as("seed %d", seed).isEqualTo(h2);
            two.pendingCompaction().get(30, TimeUnit.SECONDS);
            assertThat(two.hashKv(0)).isEqualTo(h1);
            assertThat(one.hashKv(at + 1)).isEqualTo(two.hashKv(at + 1));
            assertThat(b1.hash()).isEqualTo(b2.hash());
            assertThatThrownBy(() -> one.hashKv(at)).hasMessage(MvccException.COMPACTED);
            assertThatThrownBy(() -> one.hashKv(one.rev() + 1)).hasMessage(MvccException.FUTURE_REV);
        }
    }

    @Test
    void aHashWhereNothingWouldSurviveACompactionStillCoversWhatTheLastCompactionKept() throws Exception {
        // etcd skips a revision at or below the compaction revision only when a compaction at the
        // hashed revision would keep something ("don't skip if there isn't one"): here every key is
        // deleted by then, so the value kept by the compaction at 3 is hashed (etcd 3.4.23 agrees,
        // JetcdMaintenanceDifferentialTest)
        try (Backend b1 = Backend.open(dir.resolve("one")); KvStore one = KvStore.open(b1);
                Backend b2 = Backend.open(dir.resolve("two")); KvStore two = KvStore.open(b2)) {
            for (KvStore store : List.of(one, two)) {
                put(store, "a", "1");
                put(store, "a", store == one ? "2" : "other");
                store.compact(3).get(30, TimeUnit.SECONDS);
                delete(store, "a");
            }
            assertThat(one.hashKv(4).hash()).isNotEqualTo(two.hashKv(4).hash());
            assertThat(one.hashKv(4).hash()).isEqualTo(one.hashKv(0).hash());
        }
    }

    @Test
    void consistentIndexIsCommittedWithTheData() {
        Path db = dir.resolve("db");
        try (Backend backend = Backend.open(db); KvStore store = KvStore.open(backend)) {
            backend.setConsistentIndex(41, 3);
            put(store, "a", "1");
            backend.setConsistentIndex(42, 3); // applied but nothing written: not persisted
        }
        try (Backend backend = Backend.open(db)) {
            assertThat(backend.consistentIndex().index()).isEqualTo(41);
            assertThat(backend.consistentIndex().term()).isEqualTo(3);
        }
    }
}
