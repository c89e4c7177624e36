package io.etcdj.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** --experimental-bootstrap-defrag-threshold-megabytes: defragment at start only when it frees that much. */
class BootstrapDefragmentationTest {
    private static final long MB = 1024 * 1024;

    @Test
    void defragmentsWhenTheFreeSpaceReachesTheThreshold() {
        AtomicInteger runs = new AtomicInteger();
        assertThat(BootstrapDefragmentation.maybeDefragment(30 * MB, 10 * MB, 20, runs::incrementAndGet)).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void skipsBelowTheThreshold() {
        AtomicInteger runs = new AtomicInteger();
        assertThat(BootstrapDefragmentation.maybeDefragment(30 * MB, 10 * MB + 1, 20, runs::incrementAndGet)).isFalse();
        assertThat(runs).hasValue(0);
    }

    @Test
    void aZeroThresholdNeverLooks() {
        // the backend is never asked: null would fail if it were
        assertThat(BootstrapDefragmentation.maybeDefragment(null, 0)).isFalse();
    }
}
