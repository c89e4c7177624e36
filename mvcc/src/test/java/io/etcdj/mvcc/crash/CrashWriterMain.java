package io.etcdj.mvcc.crash;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.TxnWrite;
import io.etcdj.mvcc.backend.Backend;

/**
 * The child process of {@link CrashRecoveryTest}: applies numbered write batches forever, batch {@code i}
 * with consistent index {@code i}, and prints {@code ack i} after each commit. Batch i puts
 * {@code b/<i>} and {@code last}, and deletes {@code b/<i-3>}'s twin {@code t/<i-3>}; every 100 batches
 * it also compacts 50 revisions back. Runs until killed.
 */
public final class CrashWriterMain {
    private CrashWriterMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Backend backend = Backend.open(dir);
        KvStore store = KvStore.open(backend);
        long i = backend.consistentIndex().index();
        System.out.println("start " + i);
        System.out.flush();
        while (true) {
            i++;
            backend.setConsistentIndex(i, 7);
            try (TxnWrite txn = store.write()) {
                txn.put(bytes("b/" + i), bytes(Long.toString(i)), 0);
                txn.put(bytes("t/" + i), bytes("twin"), 0);
                txn.put(bytes("last"), bytes(Long.toString(i)), 0);
                txn.deleteRange(KeyRange.single(bytes("t/" + (i - 3))));
            }
            if (i % 100 == 0) {
                store.compact(store.rev() - 50);
            }
            System.out.println("ack " + i);
            System.out.flush();
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
