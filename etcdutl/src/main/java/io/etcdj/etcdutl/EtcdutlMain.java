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

/**
 * Entry point of bin/etcdutl: offline tools on a data dir (defrag) or on our snapshot file format
 * (restore, status), as etcd 3.5's etcdutl.
 */
@Command(name = "etcdutl", description = "An administrative command line tool for etcd3.",
        subcommands = {EtcdutlMain.Backup.class, EtcdutlMain.Defrag.class, EtcdutlMain.HashKv.class, EtcdutlMain.Snapshot.class, EtcdutlMain.Version.class})
public final class EtcdutlMain {
    /** etcdutl's global output flag; also accepted after a subcommand. */
    @Option(names = {"-w", "--write-out"}, defaultValue = "simple", scope = CommandLine.ScopeType.INHERIT,
            description = "set the output format (simple, json, table)")
    String format;
    @Option(names = {"-h", "--help"}, usageHelp = true, scope = CommandLine.ScopeType.INHERIT,
            description = "help for etcdutl")
    boolean help;

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

    /** A missing snapshot file is reported as Go's file error ("stat x: no such file or directory"). */
    private static void requireFile(Path file, String op) throws IOException {
        if (!java.nio.file.Files.exists(file)) {
            throw new IOException(op + " " + file + ": no such file or directory");
        }
    }

    @Command(name = "defrag", description = "Defragments the storage of the etcd")
    static final class Defrag implements Callable<Integer> {
        @Option(names = "--data-dir", required = true,
                description = "Required. Defragments a data directory not in use by etcd.")
        Path dataDir;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter err = spec.commandLine().getErr();
            try {
                OfflineDefrag.run(dataDir, err, java.time.Duration.ofDays(365));
                return 0;
            } catch (IOException e) {
                err.printf("Failed to defragment etcd data[%s] (%s)%n", dataDir, e.getMessage());
                err.flush();
                return 1;
            }
        }
    }

    @Command(name = "backup", description = "[legacy] offline backup of etcd directory",
            footer = "Prefer: `etcdctl snapshot save` instead.")
    static final class Backup implements Callable<Integer> {
        @Option(names = "--data-dir", required = true, description = "Path to the etcd data dir")
        Path dataDir;
        @Option(names = "--wal-dir", description = "Path to the etcd wal dir")
        Path walDir;
        @Option(names = "--backup-dir", required = true, description = "Path to the backup dir")
        Path backupDir;
        @Option(names = "--backup-wal-dir", description = "Path to the backup wal dir")
        Path backupWalDir;
        @Option(names = "--with-v3", defaultValue = "true", arity = "0..1", fallbackValue = "true",
                description = "Backup v3 backend data (default true)")
        boolean withV3;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        /** zap's console encoder, as etcdutl logs: time, level, message. */
        private void log(String level, String message) {
            PrintWriter err = spec.commandLine().getErr();
            err.print(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).withNano(0)
                    .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME).replace("+00:00", "Z")
                    + "\t" + level + "\t" + message + "\n");
            err.flush();
        }

        @Override
        public Integer call() throws InterruptedException {
            try {
                DataDirBackup.run(new DataDirBackup.Options(dataDir, walDir, backupDir, backupWalDir, withV3,
                        java.time.Duration.ofSeconds(1)), new DataDirBackup.Log() {
                            @Override
                            public void info(String message) {
                                log("info", message);
                            }

                            @Override
                            public void warn(String message) {
                                log("warn", message);
                            }
                        });
                return 0;
            } catch (IOException | RuntimeException e) { // zap's Fatal
                log("fatal", e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "hashkv", description = "Prints the KV history hash of a given file")
    static final class HashKv implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<filename>", description = "a data dir or its backend (member/snap/db)")
        Path path;
        @Option(names = "--rev", defaultValue = "0", description = "maximum revision to hash (default: latest revision)")
        long rev;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            String format = ((EtcdutlMain) spec.root().userObject()).format;
            spec.commandLine().getOut().print(OfflineHashKv.of(path, rev).print(format));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    @Command(name = "version", description = "Prints the version of etcdutl")
    static final class Version implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.println("etcdutl version: " + io.etcdj.server.config.EtcdVersion.SERVER);
            out.println("API version: " + io.etcdj.server.config.EtcdVersion.API);
            out.flush();
            return 0;
        }
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
            requireFile(file, "open");
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
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            requireFile(file, "stat");
            String format = ((EtcdutlMain) spec.root().userObject()).format;
            String text = StatusPrinter.print(SnapshotStatus.of(file), format);
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
