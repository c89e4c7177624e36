package io.etcdj.mvcc.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendTest {
    @TempDir
    Path dir;

    @Test
    void etcdsBboltFileInPlaceOfTheBackendIsRefusedWithAnExplanation() throws Exception {
        Path bbolt = Files.write(dir.resolve("db"), new byte[4096]);
        assertThatThrownBy(() -> Backend.open(bbolt))
                .isInstanceOf(BackendException.class)
                .hasMessageStartingWith("backend: open " + bbolt + ": not a directory: it is a file, likely etcd's");
        assertThat(Files.size(bbolt)).as("left as it was").isEqualTo(4096);
    }

    @Test
    void defragmentDropsDeletedDataAndReportsSizes() {
        try (Backend backend = Backend.open(dir.resolve("db"))) {
            byte[] value = new byte[1000];
            for (int round = 0; round < 5; round++) {
                BackendBatch batch = backend.newBatch();
                for (int i = 0; i < 1000; i++) {
                    batch.put(Bucket.KEY, Backend.longBytes(round * 1000L + i), value);
                }
                backend.commit(batch);
            }
            backend.defragment();
            BackendBatch deletes = backend.newBatch();
            for (int i = 0; i < 4500; i++) {
                deletes.delete(Bucket.KEY, Backend.longBytes(i));
            }
            backend.commit(deletes);
            Backend.DefragmentResult r = backend.defragment();
            assertThat(r.before().total()).isGreaterThan(r.after().total());
            assertThat(r.after().total()).isLessThan(1_000_000);
            assertThat(r.after().inUse()).isLessThanOrEqualTo(r.after().total());
        }
    }

    @Test
    void defragmentOfASmallBackendDoesNotGrowIt() {
        try (Backend backend = Backend.open(dir.resolve("db"))) {
            for (int i = 0; i < 3; i++) {
                backend.commit(backend.newBatch().put(Bucket.KEY, Backend.longBytes(i), new byte[] {1, 2, 3}));
            }
            Backend.DefragmentResult r = backend.defragment();
            assertThat(r.after().total()).isLessThanOrEqualTo(r.before().total());
            assertThat(backend.get(Bucket.KEY, Backend.longBytes(2))).containsExactly(1, 2, 3);
        }
    }

    @Test
    void checkpointIsAnOpenableCopy() {
        Path copy = dir.resolve("copy");
        try (Backend backend = Backend.open(dir.resolve("db"))) {
            backend.setConsistentIndex(9, 2);
            backend.commit(backend.newBatch().put(Bucket.MEMBERS, new byte[] {1}, new byte[] {2}));
            backend.checkpoint(copy);
        }
        try (Backend restored = Backend.open(copy)) {
            assertThat(restored.get(Bucket.MEMBERS, new byte[] {1})).containsExactly(2);
            assertThat(restored.consistentIndex()).isEqualTo(new ConsistentIndex(9, 2));
        }
    }
}
