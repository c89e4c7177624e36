package io.etcdj.raftsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulation can fail: when the application side breaks its part of the raft contract, the
 * whole pipeline (faults, checks, reporting) turns that into failing seeds.
 */
class SabotageTest {
    /** Runs seeds 1, 2, ... until the first failure (or {@code seeds} of them). */
    private static List<SimulationResult> failures(Sabotage sabotage, long seeds) {
        List<SimulationResult> failed = new ArrayList<>();
        for (long seed = 1; seed <= seeds && failed.isEmpty(); seed++) {
            SimulationResult r = Simulation.run(seed, SimulationConfig.standard().withSabotage(sabotage));
            if (!r.passed()) {
                failed.add(r);
            }
        }
        return failed;
    }

    @Test
    void acknowledgingBeforePersistingIsCaughtOnSomeSeeds() {
        List<SimulationResult> failed = failures(Sabotage.ACK_BEFORE_PERSIST, 60);

        assertThat(failed).isNotEmpty();
        assertThat(failed.get(0).traceTail()).isNotEmpty();
    }

    @Test
    void aDiskThatCorruptsACommittedEntryIsCaughtAsAChangedCommittedEntry() {
        List<SimulationResult> failed = failures(Sabotage.CORRUPT_ENTRY_ON_RESTART, 5);

        assertThat(failed).isNotEmpty();
        assertThat(failed).anySatisfy(r -> assertThat(r.violation()).startsWith("committed-entry-changed"));
    }
}
