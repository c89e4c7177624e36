package io.etcdj.raftsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A seed is a complete description of a run: the same seed replays the identical trace. */
class DeterminismTest {
    private static List<String> trace(long seed) {
        List<String> lines = new ArrayList<>();
        SimulationResult result = Simulation.runTraced(seed, SimulationConfig.standard(), lines::add);
        lines.add("result: " + result.violation() + " after " + result.events() + " events");
        return lines;
    }

    @Test
    void theSameSeedGivesTheSameTraceEventForEvent() {
        List<String> first = trace(42);
        List<String> second = trace(42);

        assertThat(first).hasSizeGreaterThan(1_000);
        assertThat(second).containsExactlyElementsOf(first);
    }

    @Test
    void differentSeedsGiveDifferentRuns() {
        assertThat(trace(42)).isNotEqualTo(trace(43));
    }
}
