package io.etcdj.robustness.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaleReadMutationTest {
    // put a, put b, get b, put c, get c: two reads that can be made stale
    private final List<KvOperation> history = List.of(
            KvOperation.put(1, 0, "k", "a", 0, 10),
            KvOperation.put(2, 0, "k", "b", 20, 30),
            KvOperation.get(3, 1, "k", "b", 40, 50),
            KvOperation.put(4, 0, "k", "c", 60, 70),
            KvOperation.get(5, 1, "k", "c", 80, 90));

    @Test
    void theLastOrTheFirstQualifyingReadIsMadeStaleAndTheCheckerRefutesBoth() {
        assertThat(new LinearizabilityChecker(Duration.ofSeconds(5)).check(history).verdict())
                .isEqualTo(LinearizabilityChecker.Verdict.LINEARIZABLE);

        StaleReadMutation.Mutated last = StaleReadMutation.apply(history).orElseThrow();
        assertThat(last.staleRead().id()).isEqualTo(5);
        StaleReadMutation.Mutated first = StaleReadMutation.applyEarliest(history).orElseThrow();
        assertThat(first.staleRead().id()).isEqualTo(3);
        assertThat(first.staleRead().observed()).isEqualTo("a");
        for (StaleReadMutation.Mutated m : List.of(last, first)) {
            assertThat(new LinearizabilityChecker(Duration.ofSeconds(5)).check(m.history()).verdict())
                    .isEqualTo(LinearizabilityChecker.Verdict.NOT_LINEARIZABLE);
        }
    }
}
