package io.etcdj.raftsim;

/** Entry point of bin/raft-sim. Until issue 2 lands it says so rather than pretending to work. */
public final class SimulationMain {
    private SimulationMain() {}

    public static void main(String[] args) {
        System.err.println("raft-sim: not yet available in this build (tracked in issue 2)");
        System.exit(2);
    }
}
