package io.etcdj.raftsim;

/**
 * How big one seed's run is. Simulated time is in milliseconds; every node ticks about every
 * {@link #TICK_MILLIS}. A run is {@code rounds} x (a chaos phase of {@code chaosMillis} with every
 * fault enabled, then a heal phase that must show progress within {@code livenessBoundMillis}).
 *
 * @param rounds              chaos/heal rounds per seed
 * @param chaosMillis         simulated length of each chaos phase
 * @param livenessBoundMillis after healing, a fresh proposal must commit within this time
 * @param traceTail           how many trailing events a failure report shows
 * @param sabotage            {@link Sabotage#NONE} except in tests that prove the checks bite
 */
public record SimulationConfig(int rounds, long chaosMillis, long livenessBoundMillis, int traceTail,
                               Sabotage sabotage) {
    public static final long TICK_MILLIS = 100;

    /** The size bin/raft-sim uses: sized so 10,000 seeds take a few minutes on two cores. */
    public static SimulationConfig standard() {
        return new SimulationConfig(2, 6_000, 20_000, 40, Sabotage.NONE);
    }

    public SimulationConfig withSabotage(Sabotage s) {
        return new SimulationConfig(rounds, chaosMillis, livenessBoundMillis, traceTail, s);
    }
}
