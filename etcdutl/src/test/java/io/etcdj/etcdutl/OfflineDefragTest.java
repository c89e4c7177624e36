package io.etcdj.etcdutl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.BackendBatch;
import io.etcdj.mvcc.backend.Bucket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code defrag --data-dir}: on a stopped member's data dir, a missing one, and one still in use. */
class OfflineDefragTest {
    @TempDir
    Path dataDir;

    @Test
    void defragmentsAStoppedMembersBackendSilentlyAndKeepsItsData() {
        try (Backend b = Backend.open(OfflineDefrag.backendPath(dataDir))) {
            BackendBatch batch = b.newBatch();
            for (int i = 0; i < 2000; i++) {
                batch.put(Bucket.KEY, key(i), new byte[512]);
            }
            b.commit(batch);
            BackendBatch deletes = b.newBatch();
            for (int i = 0; i < 1990; i++) {
                deletes.delete(Bucket.KEY, key(i));
            }
            b.commit(deletes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = EtcdutlMain.run(List.of("defrag", "--data-dir", dataDir.toString()), new PrintStream(out, true),
                new PrintStream(err, true));

        assertThat(status).isZero();
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEmpty();
        try (Backend b = Backend.open(OfflineDefrag.backendPath(dataDir))) {
            int[] keys = {0};
            b.forEach(Bucket.KEY, null, null, (k, v) -> {
                keys[0]++;
                return true;
            });
            assertThat(keys[0]).isEqualTo(10);
        }
    }

    @Test
    void aDataDirWithoutABackendPanicsAsEtcdsBackendDoesAndCreatesNothing() {
        Path missing = dataDir.resolve("nothing.etcd");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = EtcdutlMain.run(List.of("defrag", "--data-dir", missing.toString()),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));

        assertThat(status).isEqualTo(2);
        Path db = missing.resolve("member/snap/db");
        assertThat(err.toString(StandardCharsets.UTF_8)).matches("[0-9T:-]+Z\tpanic\tbackend/backend.go:201\t"
                + "failed to open database\t\\{\"path\": \"" + db + "\", \"error\": \"open " + db
                + ": no such file or directory\"}\npanic: failed to open database\n");
        assertThat(missing).doesNotExist();
    }

    @Test
    void waitsForTheMemberHoldingTheBackendToLetGo() throws Exception {
        StringWriter waiting = new StringWriter();
        CompletableFuture<Void> defrag;
        try (Backend running = Backend.open(OfflineDefrag.backendPath(dataDir))) {
            defrag = CompletableFuture.runAsync(() -> {
                try {
                    OfflineDefrag.run(dataDir, new PrintWriter(waiting), Duration.ofSeconds(60));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!waiting.toString().contains("waiting for etcd") && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            assertThat(waiting.toString()).isEqualTo("waiting for etcd to close and release its lock on \""
                    + OfflineDefrag.backendPath(dataDir) + "\". To defrag a running etcd instance, omit --data-dir."
                    + System.lineSeparator());
            assertThat(defrag).isNotDone();
        }
        defrag.get(30, TimeUnit.SECONDS);
    }

    @Test
    void givesUpAfterItsBound() {
        try (Backend running = Backend.open(OfflineDefrag.backendPath(dataDir))) {
            assertThatThrownBy(() -> OfflineDefrag.run(dataDir, new PrintWriter(new StringWriter()), Duration.ZERO))
                    .isInstanceOf(IOException.class).hasMessageContaining("still in use");
        }
    }

    private static byte[] key(int i) {
        return String.format("key-%05d", i).getBytes(StandardCharsets.US_ASCII);
    }
}
