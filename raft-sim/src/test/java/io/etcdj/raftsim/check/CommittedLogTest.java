package io.etcdj.raftsim.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommittedLogTest {
    private final CommittedLog log = new CommittedLog();

    @Test
    void theSameCommittedEntrySeenOnSeveralNodesIsFine() {
        log.observeCommitted(1, 1, 1, 0xaa);
        log.observeCommitted(2, 1, 1, 0xaa);
        log.observeCommitted(3, 2, 1, 0xbb);
        assertThat(log.highestIndex()).isEqualTo(2);
        assertThat(log.isKnown(2)).isTrue();
        assertThat(log.isKnown(3)).isFalse();
    }

    @Test
    void aCommittedEntryWithAnotherTermIsCaught() {
        log.observeCommitted(1, 5, 2, 0xaa);
        assertThatThrownBy(() -> log.observeCommitted(2, 5, 3, 0xaa))
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("committed-entry-changed");
    }

    @Test
    void aCommittedEntryWithOtherContentIsCaught() {
        log.observeCommitted(1, 5, 2, 0xaa);
        assertThatThrownBy(() -> log.observeCommitted(2, 5, 2, 0xab))
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("node 2");
    }
}
