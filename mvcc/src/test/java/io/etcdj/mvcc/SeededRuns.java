package io.etcdj.mvcc;

import java.util.Random;

/**
 * The seed discipline of the module's randomized tests: {@code count} runs from consecutive seeds
 * after a random base, or the one seed a failure printed when the system property
 * {@code replayProperty} names it ({@code -D<replayProperty>=<seed>}).
 */
public final class SeededRuns {
    /** One run, deterministic in its seed. */
    @FunctionalInterface
    public interface Run {
        void run(long seed) throws Exception;
    }

    private SeededRuns() {
    }

    public static void run(String replayProperty, int count, Run run) throws Exception {
        String replay = System.getProperty(replayProperty);
        if (replay != null) {
            run.run(Long.parseLong(replay));
            return;
        }
        long base = new Random().nextLong();
        for (int i = 0; i < count; i++) {
            run.run(base + i);
        }
    }
}
