package io.etcdj.raftsim.check;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LinearizableReadCheckerTest {
    private final LinearizableReadChecker checker = new LinearizableReadChecker();

    @Test
    void aReadIndexAtOrAboveWhatWasCommittedAtReadStartPasses() {
        checker.readStarted(1, 7);
        assertThatCode(() -> {
            checker.readAnswered(2, 1, 7);
            checker.readAnswered(3, 1, 9); // duplicated request answered twice
            checker.readAnswered(3, 99, 0); // not one of ours
        }).doesNotThrowAnyException();
    }

    @Test
    void aStaleReadIsCaught() {
        checker.readStarted(1, 7);
        assertThatThrownBy(() -> checker.readAnswered(2, 1, 6))
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("linearizable-read")
                .hasMessageContaining("index 7 was already committed");
    }
}
