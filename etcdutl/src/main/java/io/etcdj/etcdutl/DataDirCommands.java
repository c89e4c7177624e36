package io.etcdj.etcdutl;

import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.ExitException;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.cli.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The commands on a stopped member's data dir: defrag, backup, and (etcd 3.6's) hashkv. */
final class DataDirCommands {
    private DataDirCommands() {}

    static Command defrag() {
        Command c = new Command("defrag", "Defragments the storage of the etcd", DataDirCommands::defrag);
        c.flags().string("data-dir", "", "", "Required. Defragments a data directory not in use by etcd.").markRequired();
        return c;
    }

    private static void defrag(Invocation inv) throws InterruptedException {
        Path dataDir = Path.of(inv.string("data-dir"));
        Path db = OfflineDefrag.backendPath(dataDir);
        var err = inv.console().err();
        if (!Files.exists(db)) {
            // etcd 3.5's backend panics on a data dir without one (its Go stack trace is not imitated)
            String message = "failed to open database";
            err.println(ZapConsole.line("panic", "backend/backend.go:201", message,
                    "path", db.toString(), "error", "open " + db + ": no such file or directory"));
            err.println("panic: " + message);
            throw new ExitException(ExitCodes.GO_PANIC);
        }
        try {
            OfflineDefrag.run(dataDir, new PrintWriter(err, true), Duration.ofDays(365));
        } catch (IOException e) {
            err.printf("Failed to defragment etcd data[%s] (%s)%n", dataDir, e.getMessage());
            throw new ExitException(ExitCodes.ERROR);
        }
    }

    static Command backup() {
        Command c = new Command("backup", "[legacy] offline backup of etcd directory", DataDirCommands::backup);
        c.flags().string("data-dir", "", "", "Path to the etcd data dir").markRequired();
        c.flags().string("wal-dir", "", "", "Path to the etcd wal dir");
        c.flags().string("backup-dir", "", "", "Path to the backup dir").markRequired();
        c.flags().string("backup-wal-dir", "", "", "Path to the backup wal dir");
        c.flags().bool("with-v3", "", true, "Backup v3 backend data");
        return c;
    }

    private static void backup(Invocation inv) throws InterruptedException {
        var err = inv.console().err();
        DataDirBackup.Options o = new DataDirBackup.Options(Path.of(inv.string("data-dir")),
                optionalPath(inv, "wal-dir"), Path.of(inv.string("backup-dir")), optionalPath(inv, "backup-wal-dir"),
                inv.bool("with-v3"), Duration.ofSeconds(1));
        try {
            DataDirBackup.run(o, new DataDirBackup.Log() {
                @Override
                public void info(String message) {
                    err.println(ZapConsole.line("info", message));
                }

                @Override
                public void warn(String message) {
                    err.println(ZapConsole.line("warn", message));
                }
            });
        } catch (IOException | RuntimeException e) { // zap's Fatal
            err.println(ZapConsole.line("fatal", e.getMessage()));
            throw new ExitException(ExitCodes.ERROR);
        }
    }

    private static Path optionalPath(Invocation inv, String flag) {
        String v = inv.string(flag);
        return v.isEmpty() ? null : Path.of(v);
    }

    static Command hashKv() {
        Command c = new Command("hashkv <filename>", "Prints the KV history hash of a given file",
                DataDirCommands::hashKv);
        c.flags().int64("rev", 0, "maximum revision to hash (default: latest revision)");
        return c;
    }

    private static void hashKv(Invocation inv) throws IOException {
        if (inv.args().size() != 1) { // cobra's ExactArgs(1)
            throw new UsageException("accepts 1 arg(s), received " + inv.args().size());
        }
        String format = OutputFormat.require(inv);
        OfflineHashKv answer = OfflineHashKv.of(Path.of(inv.args().get(0)), inv.int64("rev"));
        OutputFormat.refuseProtobuf(inv, format);
        inv.console().out().print(answer.print(format));
    }
}
