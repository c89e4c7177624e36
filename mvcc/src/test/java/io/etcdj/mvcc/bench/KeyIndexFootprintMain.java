package io.etcdj.mvcc.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Consumer;

import io.etcdj.mvcc.Revision;
import io.etcdj.mvcc.index.RevisionIndex;
import io.etcdj.mvcc.index.TreeRevisionIndex;

/**
 * Retained heap of the MVCC key index per key, for three shapes: many keys put once; fewer keys put ten
 * times each with some deleted and re-created; the latter after a compaction at the newest revision.
 * Keys arrive in a fixed random order; figures include the 40-byte key arrays the index holds. A
 * measurement, not a test; run it with the test classpath and a fixed collector, e.g.
 * {@code java -XX:+UseSerialGC -Xmx2g -cp mvcc/target/classes:mvcc/target/test-classes
 * io.etcdj.mvcc.bench.KeyIndexFootprintMain [runs]}.
 */
public final class KeyIndexFootprintMain {
    private static final int SINGLE_PUT_KEYS = 200_000;
    private static final int HISTORY_KEYS = 20_000;
    private static final int HISTORY_ROUNDS = 10;
    private static final int[] SINGLE_PUT_ORDER = shuffled(SINGLE_PUT_KEYS);
    private static final int[] HISTORY_ORDER = shuffled(HISTORY_KEYS);

    private static RevisionIndex measured;

    private KeyIndexFootprintMain() {
    }

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        report("one put per key", SINGLE_PUT_KEYS, runs, KeyIndexFootprintMain::putOnce);
        report("10 puts per key, every 4th deleted and re-created", HISTORY_KEYS, runs,
                index -> putHistory(index, false));
        report("same, compacted at the newest revision", HISTORY_KEYS, runs, index -> putHistory(index, true));
    }

    private static void report(String shape, int keys, int runs, Consumer<RevisionIndex> fill) {
        long total = 0;
        for (int run = 0; run < runs; run++) {
            total += retainedBytes(keys, fill);
        }
        System.out.printf("%-52s %,9d keys: %6.1f bytes/key (mean of %d runs)%n", shape, keys,
                (double) total / runs / keys, runs);
    }

    /**
     * Heap used with a filled index minus heap used once it is dropped. The index is held only by
     * {@link #measured}, so clearing that field is what frees it (a local variable may stay reachable
     * from a compiled frame for a while after its last use).
     */
    private static long retainedBytes(int keys, Consumer<RevisionIndex> fill) {
        measured = new TreeRevisionIndex();
        fill.accept(measured);
        if (measured.size() != keys) {
            throw new IllegalStateException("index holds " + measured.size() + " keys, expected " + keys);
        }
        long with = usedAfterGc();
        measured = null;
        return with - usedAfterGc();
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void putOnce(RevisionIndex index) {
        for (int i = 0; i < SINGLE_PUT_KEYS; i++) {
            index.put(key(SINGLE_PUT_ORDER[i]), Revision.of(i + 1L));
        }
    }

    private static void putHistory(RevisionIndex index, boolean compact) {
        long rev = 0;
        for (int round = 0; round < HISTORY_ROUNDS; round++) {
            for (int i = 0; i < HISTORY_KEYS; i++) {
                byte[] key = key(HISTORY_ORDER[i]);
                if (round == HISTORY_ROUNDS / 2 && i % 4 == 0) {
                    index.tombstone(key, Revision.of(++rev));
                }
                index.put(key, Revision.of(++rev));
            }
        }
        if (compact) {
            index.compact(rev);
        }
    }

    /** 0..n-1 in a fixed random order: keys seldom arrive sorted. */
    private static int[] shuffled(int n) {
        int[] order = new int[n];
        Random random = new Random(n);
        for (int i = 0; i < n; i++) {
            int j = random.nextInt(i + 1);
            order[i] = order[j];
            order[j] = i;
        }
        return order;
    }

    private static byte[] key(int i) {
        return String.format("/registry/pods/default/pod-%013d", i).getBytes(StandardCharsets.UTF_8);
    }
}
