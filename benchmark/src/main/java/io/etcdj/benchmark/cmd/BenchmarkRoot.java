package io.etcdj.benchmark.cmd;

import io.etcdj.benchmark.client.GlobalOptions;
import io.etcdj.benchmark.compare.CompareCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code benchmark} command: etcd's low-level benchmark tool for etcd v3, speaking gRPC
 * directly. Holds the global (inherited) options and the output streams the subcommands use.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, version = "etcdj benchmark 0.1.0",
        description = "A low-level benchmark tool for etcd3. It uses gRPC directly.",
        subcommands = {PutCommand.class, RangeCommand.class, TxnPutCommand.class, TxnMixedCommand.class,
            WatchCommand.class, WatchGetCommand.class, WatchLatencyCommand.class, LeaseKeepaliveCommand.class,
            StmCommand.class, MvccCommand.class, CompareCommand.class})
public final class BenchmarkRoot implements Runnable {
    @Mixin
    public GlobalOptions global = new GlobalOptions();

    final PrintStream out;
    final PrintStream err;

    public BenchmarkRoot(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void run() {
        err.println(new CommandLine(this).getUsageMessage());
    }

    /** Parses and runs a command line; returns the exit code. */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        BenchmarkRoot root = new BenchmarkRoot(out, err);
        CommandLine cl = new CommandLine(root);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
