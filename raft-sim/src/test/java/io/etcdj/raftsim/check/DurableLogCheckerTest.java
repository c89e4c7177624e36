package io.etcdj.raftsim.check;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurableLogCheckerTest {
    /** A fabricated durable log: entries first..last with the given terms (digest = index). */
    private record FakeLog(long first, long[] terms) implements DurableLogChecker.DurableLog {
        @Override
        public long firstIndex() {
            return first;
        }

        @Override
        public long lastIndex() {
            return first + terms.length - 1;
        }

        @Override
        public void read(long lo, long hi, long[] outTerms, long[] outDigests) {
            for (long i = lo; i <= hi; i++) {
                outTerms[(int) (i - lo)] = terms[(int) (i - first)];
                outDigests[(int) (i - lo)] = i;
            }
        }
    }

    private final CommittedLog committed = new CommittedLog();
    private final DurableLogChecker checker = new DurableLogChecker(committed);

    @Test
    void nodesAgreeingOnTheCommittedPrefixPass() {
        assertThatCode(() -> {
            checker.verify(1, 0, 3, new FakeLog(1, new long[] {1, 1, 2, 2}));
            checker.verify(2, 0, 2, new FakeLog(1, new long[] {1, 1, 3}));  // uncommitted tail may differ
            checker.verify(3, 0, 3, new FakeLog(3, new long[] {2}));        // prefix covered by a snapshot
        }).doesNotThrowAnyException();
    }

    @Test
    void aNodeWhoseCommittedEntryWasOverwrittenIsCaught() {
        checker.verify(1, 0, 3, new FakeLog(1, new long[] {1, 1, 2}));
        assertThatThrownBy(() -> checker.verify(2, 0, 3, new FakeLog(1, new long[] {1, 1, 3})))
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("committed-entry-changed");
    }

    @Test
    void aDurableLogThatNoLongerReachesTheCommitIndexIsCaught() {
        assertThatThrownBy(() -> checker.verify(1, 2, 4, new FakeLog(1, new long[] {1, 1, 2})))
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("committed-entry-lost");
    }
}
