package io.etcdj.benchmark.cmd;

import io.etcdj.benchmark.client.Connections;
import io.etcdj.benchmark.client.GlobalOptions;
import io.etcdj.benchmark.load.ClosedLoop;
import io.etcdj.benchmark.load.Operation;
import io.etcdj.benchmark.load.RateLimiter;
import io.etcdj.benchmark.report.LatencyRecorder;
import io.etcdj.benchmark.report.ProgressBar;
import io.etcdj.benchmark.report.Summary;
import io.etcdj.benchmark.report.SummaryJson;
import io.etcdj.benchmark.report.SummaryText;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every benchmark command shares: the global options, the output streams, opening
 * connections, running a closed loop and printing summaries (etcd's text, or JSON lines).
 * A command returns its exit code; {@link UsageError} and connection failures become exit 1
 * with their message on stderr, as etcd's tool does.
 */
public abstract class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The command's work; returns the exit code. */
    protected abstract int run() throws Exception;

    @Override
    public final Integer call() throws Exception {
        try {
            global().validate();
            return run();
        } catch (UsageError | IllegalArgumentException e) {
            err().println(e.getMessage());
            return 1;
        } catch (Connections.ConnectException e) {
            err().println(e.getMessage());
            return 1;
        }
    }

    protected final BenchmarkRoot root() {
        return (BenchmarkRoot) spec.root().userObject();
    }

    protected final GlobalOptions global() {
        return root().global;
    }

    protected final PrintStream out() {
        return root().out;
    }

    protected final PrintStream err() {
        return root().err;
    }

    protected final Connections connect() throws Connections.ConnectException {
        return Connections.open(global(), global().conns);
    }

    protected final Connections connect(int conns) throws Connections.ConnectException {
        return Connections.open(global(), conns);
    }

    protected final ProgressBar progress(long total) {
        return ProgressBar.start(total, !global().noProgress);
    }

    protected final LatencyRecorder recorder(int slots) {
        return new LatencyRecorder(slots, global().sample);
    }

    /** Runs {@code total} operations over {@code --clients} closed-loop clients into one report. */
    protected final Summary closedLoop(long total, double rate, IntFunction<Operation> perClient)
            throws InterruptedException {
        int clients = global().clients;
        LatencyRecorder rec = recorder(clients);
        try (ProgressBar bar = progress(total)) {
            long elapsed = new ClosedLoop(clients, total, RateLimiter.perSecondOrNull(rate), bar, rec).run(perClient);
            bar.finish();
            return rec.summarize(elapsed);
        }
    }

    /** Prints one summary: in text after {@code textHeading} (may be empty), in JSON as one line. */
    protected final void print(String name, String textHeading, Summary s) {
        if (global().json()) {
            out().println(SummaryJson.format(name, s));
        } else {
            out().print(textHeading + new SummaryText(global().precise).format(s));
            out().flush();
        }
    }

    /** A line etcd's tool prints before the summary (text output only). */
    protected final void note(String line) {
        if (!global().json()) {
            out().println(line);
        }
    }

    protected static byte[] randomBytes(int n) {
        byte[] b = new byte[Math.max(0, n)];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** A wrong flag value or argument; its message is printed and the tool exits with 1. */
    public static final class UsageError extends RuntimeException {
        public UsageError(String message) {
            super(message);
        }
    }
}
