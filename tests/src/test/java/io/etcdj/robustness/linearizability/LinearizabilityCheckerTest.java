package io.etcdj.robustness.linearizability;

import static io.etcdj.robustness.linearizability.KvOperation.cas;
import static io.etcdj.robustness.linearizability.KvOperation.delete;
import static io.etcdj.robustness.linearizability.KvOperation.get;
import static io.etcdj.robustness.linearizability.KvOperation.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hand-made histories: time runs left to right, [invoked, returned]. */
class LinearizabilityCheckerTest {

    private final LinearizabilityChecker checker = new LinearizabilityChecker(Duration.ofSeconds(5));

    private LinearizabilityChecker.Report check(KvOperation... ops) {
        return checker.check(List.of(ops));
    }

    @Test
    void sequentialPutThenGetIsLinearizable() {
        assertThat(check(
                put(1, 1, "k", "a", 0, 10),
                get(2, 2, "k", "a", 20, 30)).verdict()).isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE);
    }

    @Test
    void concurrentReadMaySeeEitherTheOldOrTheNewValue() {
        assertThat(check(
                put(1, 1, "k", "a", 0, 10),
                put(2, 1, "k", "b", 20, 50),
                get(3, 2, "k", "a", 25, 30),
                get(4, 3, "k", "b", 26, 40)).linearizable()).isTrue();
    }

    @Test
    void readOfAnAbsentKeyBeforeAnyWriteIsLinearizable() {
        assertThat(check(
                get(1, 1, "k", null, 0, 5),
                put(2, 1, "k", "a", 6, 9),
                delete(3, 2, "k", 10, 12),
                get(4, 1, "k", null, 13, 14)).linearizable()).isTrue();
    }

    @Test
    void staleReadAfterAnAcknowledgedWriteIsNotLinearizable() {
        LinearizabilityChecker.Report r = check(
                put(1, 1, "k", "a", 0, 10),
                put(2, 1, "k", "b", 20, 30),
                get(3, 2, "k", "a", 40, 50));
        assertThat(r.verdict()).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
        assertThat(r.explanation())
                .contains("key k")
                .contains("#3 c2 get(k) -> 'a'")
                .contains("it read 'a' but the key holds 'b'");
        System.out.println(r);
    }

    @Test
    void lostWriteIsNotLinearizable() {
        // The put of 'b' was acknowledged, then every later read still sees 'a'.
        LinearizabilityChecker.Report r = check(
                put(1, 1, "k", "a", 0, 10),
                put(2, 2, "k", "b", 11, 20),
                get(3, 1, "k", "a", 30, 35),
                get(4, 3, "k", "a", 40, 45));
        assertThat(r.verdict()).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
        assertThat(r.explanation()).contains("but the key holds 'b'");
    }

    @Test
    void readOfAValueNeverWrittenIsNotLinearizable() {
        LinearizabilityChecker.Report r = check(
                put(1, 1, "k", "a", 0, 10),
                get(2, 2, "k", "zzz", 5, 15));
        assertThat(r.verdict()).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
        assertThat(r.explanation()).contains("it read 'zzz'");
        System.out.println(r);
    }

    @Test
    void readsMustNotGoBackInTime() {
        // Two sequential reads during a slow write: new value, then old value — impossible.
        assertThat(check(
                put(1, 1, "k", "a", 0, 5),
                put(2, 1, "k", "b", 10, 100),
                get(3, 2, "k", "b", 20, 30),
                get(4, 2, "k", "a", 40, 50)).verdict()).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void timedOutWriteMayTakeEffectLater() {
        assertThat(check(
                put(1, 1, "k", "a", 0, 10),
                put(2, 2, "k", "b", 20, 30).withUnknownOutcome(),
                get(3, 3, "k", "a", 40, 50),
                get(4, 3, "k", "b", 60, 70)).linearizable()).isTrue();
    }

    @Test
    void timedOutWriteMayNeverTakeEffect() {
        assertThat(check(
                put(1, 1, "k", "a", 0, 10),
                put(2, 2, "k", "b", 20, 30).withUnknownOutcome(),
                get(3, 3, "k", "a", 40, 50)).linearizable()).isTrue();
    }

    @Test
    void timedOutWriteCannotTakeEffectBeforeItWasInvoked() {
        assertThat(check(
                put(1, 1, "k", "a", 0, 10),
                get(2, 3, "k", "b", 12, 15),
                put(3, 2, "k", "b", 20, 30).withUnknownOutcome()).verdict())
                .isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
    }

    @Test
    void compareAndSetFollowsTheRegister() {
        assertThat(check(
                put(1, 1, "k", "a", 0, 10),
                cas(2, 1, "k", "a", "b", true, 20, 30),
                cas(3, 2, "k", "a", "c", false, 40, 50),
                cas(4, 2, "k", null, "d", false, 51, 52),
                get(5, 3, "k", "b", 60, 70)).linearizable()).isTrue();
    }

    @Test
    void twoCompareAndSetsFromTheSameValueCannotBothSucceed() {
        LinearizabilityChecker.Report r = check(
                put(1, 1, "k", "a", 0, 10),
                cas(2, 1, "k", "a", "b", true, 20, 30),
                cas(3, 2, "k", "a", "c", true, 21, 31));
        assertThat(r.verdict()).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
        assertThat(r.explanation()).contains("it succeeded comparing against 'a'");
    }

    @Test
    void keysAreCheckedIndependentlyAndTheBadKeyIsNamed() {
        LinearizabilityChecker.Report r = check(
                put(1, 1, "x", "a", 0, 10),
                put(2, 1, "y", "a", 0, 10),
                get(3, 2, "x", "a", 20, 30),
                get(4, 2, "y", null, 20, 30));
        assertThat(r.verdict()).isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
        assertThat(r.explanation()).contains("key y").doesNotContain("key x");
    }

    @Test
    void aHugeAmbiguousHistoryIsUndecidedInsteadOfHanging() {
        // Many concurrent writes of distinct values with unknown outcomes and one impossible read
        // at the end: proving non-linearizability needs to try every subset.
        List<KvOperation> ops = new ArrayList<>();
        int id = 0;
        for (int i = 0; i < 60; i++) {
            ops.add(put(id++, i, "k", "v" + i, i, 1_000 + i).withUnknownOutcome());
        }
        for (int i = 0; i < 60; i++) {
            ops.add(get(id++, 100 + i, "k", "v" + (i % 60), 2_000 + i * 10, 2_000 + i * 10 + 5));
        }
        ops.add(get(id, 999, "k", "never", 5_000, 5_001));
        LinearizabilityChecker.Report r = new LinearizabilityChecker(Duration.ofMillis(300)).check(ops);
        assertThat(r.verdict()).isIn(LinearizabilityChecker.Verdict.UNDECIDED, LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
        if (r.verdict() == LinearizabilityChecker.Verdict.UNDECIDED) {
            assertThat(r.explanation()).contains("deadline");
        }
    }

    @Test
    void randomSequentialHistoriesWithOverlapAreLinearizable() {
        long seed = Long.getLong("robustness.seed", System.nanoTime());
        Random random = new Random(seed);
        // Simulate a correct register: each op takes effect at a random instant inside its interval.
        for (int round = 0; round < 50; round++) {
            List<KvOperation> ops = linearizableRandomHistory(random, 40);
            LinearizabilityChecker.Report r = checker.check(ops);
            assertThat(r.linearizable())
                    .as("seed %d (replay with -Drobustness.seed=%d), round %d: %s", seed, seed, round, r)
                    .isTrue();
        }
    }

    /** Operations on 3 keys by 4 clients; effect points are distinct and inside each interval. */
    static List<KvOperation> linearizableRandomHistory(Random random, int count) {
        String[] state = new String[3];
        long[] clientFree = new long[4];
        List<KvOperation> ops = new ArrayList<>();
        long now = 0;
        for (int id = 0; id < count; id++) {
            now += 1 + random.nextInt(3);                // the effect point of this op
            int client = random.nextInt(4);
            long invoked = Math.max(clientFree[client], now - random.nextInt(10));
            if (invoked >= now) {
                invoked = now - 1;
                if (invoked < clientFree[client]) {
                    continue;                             // client busy: skip this op
                }
            }
            long returned = now + 1 + random.nextInt(10);
            clientFree[client] = returned + 1;
            int k = random.nextInt(3);
            String key = "k" + k;
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    state[k] = "v" + id;
                    ops.add(put(id, client, key, state[k], invoked, returned));
                }
                case 2 -> ops.add(get(id, client, key, state[k], invoked, returned));
                case 3 -> {
                    state[k] = null;
                    ops.add(delete(id, client, key, invoked, returned));
                }
                default -> {
                    String expected = random.nextBoolean() ? state[k] : "v" + random.nextInt(count);
                    boolean ok = Objects.equals(expected, state[k]);
                    if (ok) {
                        state[k] = "v" + id;
                    }
                    KvOperation op = cas(id, client, key, expected, "v" + id, ok, invoked, returned);
                    ops.add(random.nextInt(8) == 0 ? op.withUnknownOutcome() : op);
                }
            }
        }
        return ops;
    }
}
