package io.etcdj.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When a starting member fast-forwards its first election timeout, and by how many ticks. */
class ElectionTickAdvanceTest {
    private static final Duration TICK = Duration.ofMillis(100);
    private final List<Integer> advanced = new ArrayList<>();
    private final List<RaftListener> listeners = new ArrayList<>();
    private final AtomicInteger connected = new AtomicInteger();

    private void begin(int clusterSize, boolean enabled) {
        ElectionTickAdvance.begin(0x8e9e05c52164694dL, clusterSize, enabled, 10, TICK, connected::get,
                advanced::add, listeners::add);
    }

    private void tick(int times) {
        for (int i = 0; i < times; i++) {
            listeners.forEach(RaftListener::onTick);
        }
    }

    @Test
    void aOneMemberClusterAdvancesAtOnceToOneTickBeforeTheTimeoutEvenWithTheFlagOff() {
        begin(1, false);
        assertThat(advanced).containsExactly(9);
        assertThat(listeners).isEmpty();
    }

    @Test
    void aClusterMemberWaitsUntilLinksToTwoPeersAreUpThenLeavesTwoTicks() {
        begin(3, true);
        tick(3);
        connected.set(1);
        tick(3);
        assertThat(advanced).isEmpty();
        connected.set(2);
        tick(1);
        assertThat(advanced).containsExactly(8);
        tick(20);
        assertThat(advanced).as("only once").containsExactly(8);
    }

    @Test
    void withoutPeersWithinFiveSecondsNothingIsAdvancedAfterwards() {
        begin(3, true);
        tick(50); // 5 s of 100 ms ticks
        connected.set(2);
        tick(5);
        assertThat(advanced).isEmpty();
    }

    @Test
    void withTheFlagOffAClusterMemberNeverAdvances() {
        begin(3, false);
        connected.set(2);
        tick(5);
        assertThat(advanced).isEmpty();
        assertThat(listeners).isEmpty();
    }
}
