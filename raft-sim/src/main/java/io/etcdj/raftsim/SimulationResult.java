package io.etcdj.raftsim;

import java.util.List;

/**
 * The outcome of one seed.
 *
 * @param violation null if every invariant held, else what broke
 * @param traceTail the last events before the violation (empty when it passed)
 */
public record SimulationResult(long seed, int initialNodes, long events, long simulatedMillis,
                               String violation, List<String> traceTail, Coverage coverage) {
    public boolean passed() {
        return violation == null;
    }
}
