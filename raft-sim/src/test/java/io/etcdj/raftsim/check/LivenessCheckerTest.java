package io.etcdj.raftsim.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LivenessCheckerTest {
    private final LivenessChecker checker = new LivenessChecker(1_000);

    @Test
    void progressWithinTheBoundPasses() {
        checker.healed(5_000);
        checker.check(5_900);
        checker.progressed();
        assertThat(checker.satisfied()).isTrue();
        assertThatCode(() -> checker.check(9_000)).doesNotThrowAnyException();
    }

    @Test
    void noProgressPastTheBoundIsCaught() {
        checker.healed(5_000);
        checker.check(6_000);
        assertThatThrownBy(() -> checker.check(6_001))
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("liveness");
    }
}
