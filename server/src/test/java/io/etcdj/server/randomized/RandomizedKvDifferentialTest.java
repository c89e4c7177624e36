package io.etcdj.server.randomized;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A seeded random sequence of KV, Lease and Watch requests sent over gRPC to the reference etcd
 * 3.4.23 and to one member of ours (each a single-member cluster with the same flags); every answer
 * and every watch's events must be the same, field for field, but for what differs by nature (see
 * {@link Masked}, {@link LeaseIds}, {@link WatchStream}).
 *
 * <p>{@code -Drandkv.seed=N} replays a run (the failure message names its seed), {@code
 * -Drandkv.steps=N} makes it longer, {@code -Drandkv.seeds=K} runs the K seeds from N on (each on
 * new members) and reports every one that failed. CI runs the fixed default seed for a bounded
 * number of steps.
 */
class RandomizedKvDifferentialTest {
    private static final long DEFAULT_SEED = 20261207L;
    private static final int DEFAULT_STEPS = 500;

    @Test
    void ourMemberAnswersARandomSequenceAsTheReferenceEtcdDoes() throws Exception {
        long first = Long.getLong("randkv.seed", DEFAULT_SEED);
        int steps = Integer.getInteger("randkv.steps", DEFAULT_STEPS);
        int seeds = Integer.getInteger("randkv.seeds", 1);
        List<String> failures = new ArrayList<>();
        for (long seed = first; seed < first + seeds; seed++) {
            try {
                run(seed, steps);
            } catch (AssertionError e) {
                if (seeds == 1) {
                    throw e;
                }
                failures.add(e.getMessage());
                System.out.println(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of " + seeds + " seeds failed:\n\n"
                    + String.join("\n\n", failures));
        }
    }

    private static void run(long seed, int steps) throws Exception {
        try (Member reference = Member.reference(); Member ours = Member.ours()) {
            long start = System.nanoTime();
            new DifferentialRun(seed, steps, reference, ours).run();
            System.out.printf("randkv: seed %d, %d steps in %d ms%n", seed, steps,
                    (System.nanoTime() - start) / 1_000_000);
        }
    }
}
