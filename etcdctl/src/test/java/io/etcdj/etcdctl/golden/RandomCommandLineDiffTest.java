package io.etcdj.etcdctl.golden;

import io.etcdj.testsupport.OpenResources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A seeded random sequence of etcdctl v3 command lines ({@link RandomCommandLines}) run three ways,
 * each against a server that started empty: (a) Debian's etcdctl 3.4.23 against the reference etcd,
 * (b) Debian's etcdctl against our member, (c) our etcdctl against another member of ours. After
 * every line the three transcripts (stdout, stderr, exit code) must be equal once what differs by
 * nature is masked (the golden masks, each server's IDs and address, remaining lease TTLs); the
 * first difference fails with the seed, the step and all three transcripts.
 *
 * <p>{@code -Drandctl.seed=N} replays a seed, {@code -Drandctl.steps=N} runs longer (the default
 * fits CI: each step runs Debian's etcdctl twice as a process, ours in-process).
 */
class RandomCommandLineDiffTest {
    private static final long DEFAULT_SEED = 20261207L;
    private static final int DEFAULT_STEPS = 55;
    /** A bound on the whole run, whatever the step count asks for. */
    private static final Duration TIME_LIMIT = Duration.ofMinutes(Long.getLong("randctl.minutes", 30));

    @RegisterExtension
    final OpenResources open = new OpenResources();

    @Test
    void threeWaysAgreeOnEveryLine() throws Exception {
        long seed = Long.getLong("randctl.seed", DEFAULT_SEED);
        int steps = Integer.getInteger("randctl.steps", DEFAULT_STEPS);
        List<CommandLineSide> sides = List.of(
                new CommandLineSide("etcdctl 3.4.23 / etcd 3.4.23", started(EtcdProcess::start), ToolRun::reference),
                new CommandLineSide("etcdctl 3.4.23 / etcdj", started(EtcdProcess::startOurs), ToolRun::reference),
                new CommandLineSide("etcdj etcdctl / etcdj", started(EtcdProcess::startOurs), ToolRun::ours));
        RandomCommandLines lines = new RandomCommandLines(seed);
        Instant begun = Instant.now();
        int done = 0;
        Instant deadline = Instant.now().plus(TIME_LIMIT);
        for (int step = 1; step <= steps && Instant.now().isBefore(deadline); step++) {
            RandomCommandLines.Line line = lines.next();
            List<String> shown = new ArrayList<>();
            List<ToolRun> runs = new ArrayList<>();
            for (CommandLineSide side : sides) {
                List<String> args = side.substitute(line.args());
                shown.add(side.name() + ": etcdctl " + String.join(" ", args));
                runs.add(side.run(line, args, GoldenDiffTest.ALWAYS));
            }
            if (!runs.get(0).equals(runs.get(1)) || !runs.get(0).equals(runs.get(2))) {
                throw new AssertionError(report(seed, step, line, shown, runs));
            }
            done = step;
        }
        System.out.printf("randctl seed %d: %d steps agreed in %ds%n", seed, done,
                Duration.between(begun, Instant.now()).toSeconds());
    }

    private interface Start {
        EtcdProcess start(String... flags) throws Exception;
    }

    /** A server that {@link #open} stops after the test. */
    private EtcdProcess started(Start how) throws Exception {
        EtcdProcess p = how.start();
        open.add(p);
        return p;
    }

    private static String report(long seed, int step, RandomCommandLines.Line line, List<String> shown,
                                 List<ToolRun> runs) {
        StringBuilder b = new StringBuilder("etcdctl transcripts differ at step " + step + " (replay: -Drandctl.seed="
                + seed + " -Drandctl.steps=" + step + ")\n");
        b.append("generated: ").append(line.args()).append("\nstdin: ").append(quote(line.stdin())).append('\n');
        for (int i = 0; i < runs.size(); i++) {
            b.append("=== ").append(shown.get(i)).append('\n').append(runs.get(i)).append('\n');
        }
        return b.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }
}
