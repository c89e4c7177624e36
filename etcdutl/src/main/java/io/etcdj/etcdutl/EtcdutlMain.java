package io.etcdj.etcdutl;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Entry point of bin/etcdutl: offline snapshot restore and status on our snapshot file format. */
@Command(name = "etcdutl", description = "An administrative command line tool for etcd3.",
        subcommands = {EtcdutlMain.Snapshot.class})
public final class EtcdutlMain {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; returns the exit status (etcd's: 1 for an error). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new EtcdutlMain());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println("Error: " + e.getMessage());
            err.flush();
            return 1;
        });
        return cl.execute(args);
    }

    @Command(name = "snapshot", description = "Manages etcd node snapshots",
            subcommands = {Restore.class, Status.class})
    static final class Snapshot {
    }

    @Command(name = "restore", description = "Restores an etcd member snapshot to an etcd directory")
    static final class Restore implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "filename")
        Path file;
        @Option(names = "--data-dir", description = "Path to the data directory")
        String dataDir;
        @Option(names = "--wal-dir", description = "Path to the WAL directory (use --data-dir if none given)")
        String walDir;
        @Option(names = "--name", defaultValue = "default", description = "Human-readable name for this member")
        String name;
        @Option(names = "--initial-cluster", defaultValue = "default=http://localhost:2380",
                description = "Initial cluster configuration for restore bootstrap")
        String initialCluster;
        @Option(names = "--initial-cluster-token", defaultValue = "etcd-cluster",
                description = "Initial cluster token for the etcd cluster during restore bootstrap")
        String token;
        @Option(names = "--initial-advertise-peer-urls", defaultValue = "http://localhost:2380",
                description = "List of this member's peer URLs to advertise to the rest of the cluster")
        String advertisePeerUrls;
        @Option(names = "--skip-hash-check", description = "Ignore snapshot integrity hash value (required if copied from data directory)")
        boolean skipHashCheck;

        @Override
        public Integer call() throws IOException {
            Path data = Path.of(dataDir == null || dataDir.isEmpty() ? name + ".etcd" : dataDir);
            Path wal = walDir == null || walDir.isEmpty() ? null : Path.of(walDir);
            SnapshotRestore.restore(new SnapshotRestore.Options(file, data, wal, name, initialCluster, token,
                    List.of(advertisePeerUrls.split(",")), skipHashCheck));
            return 0;
        }
    }

    @Command(name = "status", description = "Gets backend snapshot status of a given file")
    static final class Status implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "filename")
        Path file;
        @Option(names = {"-w", "--write-out"}, defaultValue = "simple",
                description = "set the output format (simple, json, table)")
        String format;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String text = StatusPrinter.print(SnapshotStatus.of(file), format);
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
