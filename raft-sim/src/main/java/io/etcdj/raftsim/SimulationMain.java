package io.etcdj.raftsim;

import java.io.PrintStream;

/**
 * Entry point of bin/raft-sim.
 *
 * <pre>
 * bin/raft-sim --seed-from S --seeds N   run seeds S..S+N-1 over all cores; exit 1 on any violation
 * bin/raft-sim --seed S [--trace]        replay one seed (--trace prints every event)
 * options: --threads T, --rounds R, --chaos-ms M (run size; the defaults are what CI uses)
 * </pre>
 */
public final class SimulationMain {
    private SimulationMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Long single = null;
        long from = 1;
        long count = 100;
        boolean trace = false;
        int threads = Runtime.getRuntime().availableProcessors();
        SimulationConfig standard = SimulationConfig.standard();
        int rounds = standard.rounds();
        long chaosMillis = standard.chaosMillis();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--seed" -> single = Long.parseLong(args[++i]);
                    case "--seed-from" -> from = Long.parseLong(args[++i]);
                    case "--seeds" -> count = Long.parseLong(args[++i]);
                    case "--trace" -> trace = true;
                    case "--threads" -> threads = Integer.parseInt(args[++i]);
                    case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                    case "--chaos-ms" -> chaosMillis = Long.parseLong(args[++i]);
                    case "-h", "--help" -> {
                        out.println(usage());
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (count < 1 || threads < 1 || rounds < 1 || chaosMillis < 0) {
                throw new IllegalArgumentException("--seeds, --threads and --rounds must be positive");
            }
        } catch (RuntimeException e) {
            err.println("raft-sim: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        SimulationConfig config = new SimulationConfig(rounds, chaosMillis, standard.livenessBoundMillis(),
                standard.traceTail(), Sabotage.NONE);
        String sizing = (rounds != standard.rounds() ? " --rounds " + rounds : "")
                + (chaosMillis != standard.chaosMillis() ? " --chaos-ms " + chaosMillis : "");

        if (single != null) {
            SimulationResult result = trace ? Simulation.runTraced(single, config, out::println)
                    : Simulation.run(single, config);
            if (!result.passed()) {
                printFailure(result, sizing, !trace, out);
            }
            out.println("coverage: " + result.coverage());
            out.printf("1 seeds, %d events, %d violations%n", result.events(), result.passed() ? 0 : 1);
            out.printf("%d passed, %d failed%n", result.passed() ? 1 : 0, result.passed() ? 0 : 1);
            return result.passed() ? 0 : 1;
        }

        SeedRunner.Summary summary = SeedRunner.run(from, count, threads, config);
        for (SimulationResult failure : summary.failures()) {
            printFailure(failure, sizing, true, out);
        }
        out.println("coverage: " + summary.coverage());
        out.printf("%d seeds, %d events, %d violations (seeds %d..%d, %d threads, %.1f s)%n", summary.seeds(),
                summary.events(), summary.failures().size(), from, from + count - 1, threads,
                summary.wallMillis() / 1000.0);
        out.printf("%d passed, %d failed%n", summary.passed(), summary.failures().size());
        return summary.failures().isEmpty() ? 0 : 1;
    }

    private static void printFailure(SimulationResult r, String sizing, boolean withTail, PrintStream out) {
        out.printf("FAILED seed %d (%d members, after %d events, t=%dms): %s%n", r.seed(), r.initialNodes(),
                r.events(), r.simulatedMillis(), r.violation());
        if (withTail) {
            out.println("  last events:");
            for (String line : r.traceTail()) {
                out.println("    " + line);
            }
        }
        out.println("  replay: bin/raft-sim --seed " + r.seed() + sizing + "   (add --trace to print every event)");
    }

    private static String usage() {
        return "usage: raft-sim --seed-from S --seeds N [--threads T] | --seed S [--trace]"
                + "  [--rounds R] [--chaos-ms M]";
    }
}
