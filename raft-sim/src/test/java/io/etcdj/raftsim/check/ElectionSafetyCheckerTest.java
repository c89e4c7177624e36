package io.etcdj.raftsim.check;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ElectionSafetyCheckerTest {
    private final ElectionSafetyChecker checker = new ElectionSafetyChecker();

    @Test
    void oneLeaderPerTermAndTheSameLeaderSeenAgainIsFine() {
        assertThatCode(() -> {
            checker.observeLeader(1, 2);
            checker.observeLeader(1, 2);
            checker.observeLeader(3, 3);
            checker.observeLeader(1, 4);
        }).doesNotThrowAnyException();
    }

    @Test
    void aSecondLeaderInTheSameTermIsCaughtEvenLongAfter() {
        checker.observeLeader(1, 2);
        checker.observeLeader(3, 3);
        assertThatThrownBy(() -> checker.observeLeader(2, 2))
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("election-safety")
                .hasMessageContaining("term 2");
    }
}
