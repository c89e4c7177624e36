package io.etcdj.raftsim.check;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AppliedSequenceCheckerTest {
    private final AppliedSequenceChecker checker = new AppliedSequenceChecker(new CommittedLog());

    @Test
    void nodesApplyingTheSameSequenceAtTheirOwnPacePass() {
        assertThatCode(() -> {
            long chain = checker.applied(1, 1, 1, 10);
            checker.applied(1, 2, 1, 20);
            checker.applied(2, 1, 1, 10);
            checker.applied(1, 3, 2, 30);
            checker.restored(3, 1, chain); // node 3 installs a snapshot taken at index 1
            checker.applied(3, 2, 1, 20);
        }).doesNotThrowAnyException();
    }

    @Test
    void applyingAnotherEntryAtAnIndexIsCaught() {
        checker.applied(1, 1, 1, 10);
        checker.applied(2, 1, 1, 10);
        checker.applied(1, 2, 1, 20);
        assertThatThrownBy(() -> checker.applied(2, 2, 1, 21)).isInstanceOf(InvariantViolation.class);
    }

    @Test
    void skippingAnIndexIsCaught() {
        checker.applied(1, 1, 1, 10);
        assertThatThrownBy(() -> checker.applied(1, 3, 1, 30))
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("applied index 3 right after index 1");
    }

    @Test
    void applyingTheSameIndexTwiceIsCaught() {
        checker.applied(1, 1, 1, 10);
        assertThatThrownBy(() -> checker.applied(1, 1, 1, 10)).isInstanceOf(InvariantViolation.class);
    }

    @Test
    void aSnapshotWhoseStateDiffersFromWhatOthersAppliedIsCaught() {
        checker.applied(1, 1, 1, 10);
        long chain = checker.applied(1, 2, 1, 20);
        assertThatThrownBy(() -> checker.restored(2, 2, chain + 1))
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("restored snapshot");
    }
}
