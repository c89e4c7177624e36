package io.etcdj.etcdutl;

import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.ExitException;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.mvcc.backend.bbolt.BboltFormatException;
import io.etcdj.server.config.InitialCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code snapshot restore} and {@code snapshot status} with etcdutl 3.5's flags, checks, log lines and
 * errors; the work is {@link SnapshotRestore}'s and {@link SnapshotStatus}'s (shared with etcdctl).
 */
final class SnapshotCommands {
    private static final long DEFAULT_MEMORY_MAP_SIZE = 10L * 1024 * 1024 * 1024;

    private SnapshotCommands() {}

    static Command build() {
        return new Command("snapshot", "Manages etcd node snapshots", null).add(restore(), status());
    }

    private static Command status() {
        return new Command("status <filename>", "Gets backend snapshot status of a given file",
                SnapshotCommands::status);
    }

    private static void status(Invocation inv) {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "snapshot status requires exactly one argument");
        }
        String format = OutputFormat.require(inv);
        Path file = Path.of(inv.args().get(0));
        if (!Files.exists(file)) {
            throw inv.fail(ExitCodes.ERROR, "stat " + file + ": no such file or directory");
        }
        if (Files.isDirectory(file)) {
            throw inv.fail(ExitCodes.ERROR, "open " + file + ": is a directory");
        }
        SnapshotStatus st;
        try {
            if (Files.size(file) == 0) { // bbolt, opening it read-only, fails to write its first pages
                throw inv.fail(ExitCodes.ERROR, "write " + file + ": bad file descriptor");
            }
            st = SnapshotStatus.of(file);
        } catch (BboltFormatException e) {
            throw inv.fail(ExitCodes.ERROR, e.getMessage()); // an etcd snapshot that is damaged: say where
        } catch (IOException | RuntimeException e) {
            if (e instanceof ExitException x) {
                throw x;
            }
            throw inv.fail(ExitCodes.ERROR, "invalid database");
        }
        OutputFormat.refuseProtobuf(inv, format);
        inv.console().out().print(StatusPrinter.print(st, format));
    }

    private static Command restore() {
        Command c = new Command("restore <filename> --data-dir {output dir} [options]",
                "Restores an etcd member snapshot to an etcd directory", SnapshotCommands::restore);
        c.flags().string("data-dir", "", "", "Path to the output data directory").markRequired();
        RestoreFlags.addTo(c.flags());
        c.flags().uint64("initial-memory-map-size", DEFAULT_MEMORY_MAP_SIZE,
                "Initial memory map size of the database in bytes. It uses the default value if not defined or defined to 0");
        c.flags().uint64("bump-revision", 0, "How much to increase the latest revision after restore");
        c.flags().bool("mark-compacted", "", false, "Mark the latest revision after restore as the point of scheduled "
                + "compaction (required if --bump-revision > 0, disallowed otherwise)");
        return c;
    }

    private static void restore(Invocation inv) {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "snapshot restore requires exactly one argument");
        }
        long bumpRevision = (Long) inv.flag("bump-revision").value();
        if ((bumpRevision != 0) != inv.bool("mark-compacted")) {
            throw inv.fail(ExitCodes.BAD_ARGS, "--mark-compacted required if --revision-bump > 0");
        }
        String dataDir = inv.string("data-dir");
        String walDir = RestoreFlags.walDir(inv, dataDir);
        String file = inv.args().get(0);
        long mapSize = (Long) inv.flag("initial-memory-map-size").value();
        Object[] where = {"path", file, "wal-dir", walDir, "data-dir", dataDir, "snap-dir", RestoreFlags.join(dataDir, "member/snap"),
                "initial-memory-map-size", new BigInteger(Long.toUnsignedString(mapSize == 0 ? DEFAULT_MEMORY_MAP_SIZE : mapSize))};
        if (!SnapshotRestore.emptyOrAbsent(Path.of(dataDir))) {
            throw inv.fail(ExitCodes.ERROR, "data-dir \"" + dataDir + "\" not empty or could not be read");
        }
        SnapshotRestore.Options o = RestoreFlags.options(inv, dataDir);
        PrintStream err = inv.console().err();
        try {
            SnapshotRestore.restore(o, bumpRevision, new SnapshotRestore.Progress() {
                private boolean trimmed;

                @Override
                public void restoring() {
                    err.println(ZapConsole.line("info", "snapshot/v3_snapshot.go:265", "restoring snapshot", where));
                    if (shorterThanItsHash(Path.of(file))) { // etcd seeks to the hash before anything else
                        throw inv.fail(ExitCodes.ERROR, "seek " + file + ": invalid argument");
                    }
                }

                /** The backend's membership is dropped before the revision is bumped and the new one written. */
                private void trimmedOnce() {
                    if (!trimmed) {
                        err.println(ZapConsole.line("info", "membership/store.go:141",
                                "Trimming membership information from the backend..."));
                        trimmed = true;
                    }
                }

                @Override
                public void bumpedRevision(long latest, long bumped) {
                    trimmedOnce();
                    err.println(ZapConsole.line("info", "snapshot/v3_snapshot.go:356", "bumping latest revision",
                            "latest-revision", latest, "bump-amount", bumped - latest, "new-latest-revision", bumped));
                    err.println(ZapConsole.line("info", "snapshot/v3_snapshot.go:373", "marking revision compacted",
                            "revision", bumped));
                }

                @Override
                public void addedMember(InitialCluster cluster, InitialCluster.Member m) {
                    trimmedOnce();
                    err.println(ZapConsole.line("info", "membership/cluster.go:421", "added member",
                            "cluster-id", Long.toHexString(cluster.clusterId()), "local-member-id", "0",
                            "added-peer-id", Long.toHexString(m.id()), "added-peer-peer-urls", m.peerUrlStrings()));
                }

                @Override
                public void restored() {
                    err.println(ZapConsole.line("info", "snapshot/v3_snapshot.go:293", "restored snapshot", where));
                }
            });
        } catch (IOException e) {
            throw inv.fail(ExitCodes.ERROR, e.getMessage());
        }
    }

    /** An existing file shorter than the SHA-256 trailer etcd looks for at its end. */
    private static boolean shorterThanItsHash(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) < 32;
        } catch (IOException e) {
            return false;
        }
    }
}
