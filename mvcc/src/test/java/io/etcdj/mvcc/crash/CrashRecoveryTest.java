package io.etcdj.mvcc.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.KeyRange;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.RangeOptions;
import io.etcdj.mvcc.TxnRead;
import io.etcdj.mvcc.backend.Backend;

/**
 * A writer JVM ({@link CrashWriterMain}) is SIGKILLed at a seeded random moment, several times over the
 * same data directory. After each kill the reopened store must hold exactly the batches up to its
 * consistent index (never fewer than were acknowledged) and nothing after it.
 *
 * <p>Replay: {@code -Dmvcc.crash.seed=<seed>}.
 */
class CrashRecoveryTest {
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @Test
    void consistentIndexMatchesTheDataAfterSigkill() throws Exception {
        long seed = Long.getLong("mvcc.crash.seed", new Random().nextLong());
        Random random = new Random(seed);
        Path db = dir.resolve("db");
        long acked = 0;
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 50 + random.nextInt(400);
            acked = runAndKill(db, acked, killAfter, seed);
            verify(db, acked, seed);
        }
    }

    private long runAndKill(Path db, long ackedBefore, int killAfter, long seed) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriterMain.class.getName(), db.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        long lastAck = ackedBefore;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line = out.readLine();
            assertThat(line).as("seed %d: child start line", seed).startsWith("start ");
            assertThat(Long.parseLong(line.substring(6))).as("seed %d: child reopened at", seed)
                    .isGreaterThanOrEqualTo(ackedBefore);
            int seen = 0;
            while (seen < killAfter && (line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    lastAck = Long.parseLong(line.substring(4));
                    seen++;
                }
            }
            // SIGKILL on Linux, while the child keeps writing; acks it printed but we did not read yet
            // are not acknowledged (the data may or may not be there)
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        return lastAck;
    }

    private static void verify(Path db, long acked, long seed) {
        try (Backend backend = Backend.open(db); KvStore store = KvStore.open(backend)) {
            long ci = backend.consistentIndex().index();
            String why = "seed " + seed + " (replay with -Dmvcc.crash.seed=" + seed + "), consistent index " + ci
                    + ", acked " + acked;
            assertThat(ci).as(why).isGreaterThanOrEqualTo(acked);
            assertThat(backend.consistentIndex().term()).as(why).isEqualTo(7);
            assertThat(store.rev()).as(why).isEqualTo(ci + 1); // batch i is revision i + 1
            try (TxnRead txn = store.read()) {
                List<KeyValue> batches = txn.range(KeyRange.prefix(CrashWriterMain.bytes("b/")), RangeOptions.LATEST).kvs();
                assertThat(batches).as(why).hasSize((int) ci);
                for (KeyValue kv : batches) {
                    long i = Long.parseLong(kv.getValue().toStringUtf8());
                    assertThat(kv.getKey().toStringUtf8()).as(why).isEqualTo("b/" + i);
                    assertThat(kv.getModRevision()).as(why).isEqualTo(i + 1);
                }
                List<KeyValue> last = txn.range(KeyRange.single(CrashWriterMain.bytes("last")), RangeOptions.LATEST).kvs();
                assertThat(last).as(why).hasSize(1);
                assertThat(last.get(0).getValue().toStringUtf8()).as(why).isEqualTo(Long.toString(ci));
                assertThat(last.get(0).getVersion()).as(why).isEqualTo(ci);
                long twins = txn.range(KeyRange.prefix(CrashWriterMain.bytes("t/")), RangeOptions.LATEST).count();
                assertThat(twins).as(why).isEqualTo(Math.min(ci, 3));
            }
        }
    }
}
