package io.etcdj.etcdutl;

import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.BackendException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code defrag --data-dir}: defragments the backend of a data directory no member is using. A
 * member still running holds the backend's lock; as etcd does, we say so once and wait until it
 * lets go (bounded by {@code maxWait}, which the command line sets to "for ever").
 */
public final class OfflineDefrag {
    private static final Duration RETRY = Duration.ofMillis(500);

    private OfflineDefrag() {
    }

    /** {@code <data-dir>/member/snap/db}: where a member keeps its backend. */
    public static Path backendPath(Path dataDir) {
        return dataDir.resolve("member").resolve("snap").resolve("db");
    }

    /**
     * Defragments the backend under {@code dataDir}.
     *
     * @param waiting told once (etcd's words) when the backend is locked by a running member
     * @throws IOException when there is no backend there, it cannot be opened, or it stayed locked
     */
    public static void run(Path dataDir, PrintWriter waiting, Duration maxWait) throws IOException, InterruptedException {
        Path db = backendPath(dataDir);
        if (!Files.isDirectory(db)) {
            throw new IOException("cannot open database at " + db + " (no such directory)");
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        boolean told = false;
        while (true) {
            try (Backend backend = Backend.open(db)) {
                backend.defragment();
                return;
            } catch (BackendException e) {
                if (!heldByAnotherProcess(e)) {
                    throw new IOException("cannot open database at " + db + " (" + e.getMessage() + ")", e);
                }
                if (!told) {
                    waiting.printf("waiting for etcd to close and release its lock on \"%s\". "
                            + "To defrag a running etcd instance, omit --data-dir.%n", db);
                    waiting.flush();
                    told = true;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("the database at " + db + " is still in use by another process", e);
                }
                Thread.sleep(RETRY.toMillis()); // polling another process's lock: nothing to wait on
            }
        }
    }

    /** RocksDB refuses a second opener of a database with an I/O error on its LOCK file. */
    static boolean heldByAnotherProcess(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("LOCK") && (m.contains("Resource temporarily unavailable") || m.contains("lock hold"))) {
                return true;
            }
        }
        return false;
    }
}
