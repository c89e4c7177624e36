package io.etcdj.etcdctl.command;

import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.ZapLine;
import io.etcdj.etcdctl.print.DbStatus;
import io.etcdj.etcdutl.SnapshotRestore;
import io.etcdj.etcdutl.SnapshotStatus;
import io.etcdj.server.config.InitialCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * snapshot restore and snapshot status as etcdctl 3.4 still offers them: offline, on a snapshot file,
 * by bin/etcdutl's own code ({@link SnapshotRestore}, {@link SnapshotStatus}); only the command line,
 * the log lines and the printing are etcdctl's.
 */
final class SnapshotOffline {
    private SnapshotOffline() {}

    static Command status() {
        return new Command("status <filename>", "Gets backend snapshot status of a given file",
                "When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.\n"
                        + "The items in the lists are hash, revision, total keys, total size.\n",
                SnapshotOffline::status);
    }

    private static void status(Invocation inv) {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "snapshot status requires exactly one argument");
        }
        Session s = new Session(inv);
        s.printer();
        Path file = Path.of(inv.args().get(0));
        if (!Files.exists(file)) {
            throw s.fail(ExitCodes.ERROR, "stat " + file + ": no such file or directory");
        }
        SnapshotStatus st;
        try {
            st = SnapshotStatus.of(file);
        } catch (io.etcdj.mvcc.backend.bbolt.BboltFormatException e) {
            // an etcd snapshot that is damaged: say where
            throw s.fail(ExitCodes.ERROR, e.getMessage());
        } catch (IOException | RuntimeException e) {
            // etcdctl says no more for a file its backend cannot open
            throw s.fail(ExitCodes.ERROR, "invalid database");
        }
        DbStatus ds = new DbStatus(st.hash(), st.revision(), st.totalKey(), st.totalSize());
        s.print(() -> s.printer().dbStatus(ds));
    }

    static Command restore() {
        Command c = new Command("restore <filename> [options]", "Restores an etcd member snapshot to an etcd directory",
                SnapshotOffline::restore);
        c.flags().string("data-dir", "", "", "Path to the data directory");
        c.flags().string("wal-dir", "", "", "Path to the WAL directory (use --data-dir if none given)");
        c.flags().string("initial-cluster", "", "default=http://localhost:2380",
                "Initial cluster configuration for restore bootstrap");
        c.flags().string("initial-cluster-token", "", "etcd-cluster",
                "Initial cluster token for the etcd cluster during restore bootstrap");
        c.flags().string("initial-advertise-peer-urls", "", "http://localhost:2380",
                "List of this member's peer URLs to advertise to the rest of the cluster");
        c.flags().string("name", "", "default", "Human-readable name for this member");
        c.flags().bool("skip-hash-check", "", false,
                "Ignore snapshot integrity hash value (required if copied from data directory)");
        return c;
    }

    private static void restore(Invocation inv) {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "snapshot restore requires exactly one argument");
        }
        String name = inv.string("name");
        String dataDir = inv.string("data-dir").isEmpty() ? name + ".etcd" : inv.string("data-dir");
        String walFlag = inv.string("wal-dir");
        String walDir = walFlag.isEmpty() ? join(dataDir, "member/wal") : walFlag;
        String snapDir = join(dataDir, "member/snap");
        String file = inv.args().get(0);
        SnapshotRestore.Options o = new SnapshotRestore.Options(Path.of(file), Path.of(dataDir),
                walFlag.isEmpty() ? null : Path.of(walFlag), name, inv.string("initial-cluster"),
                inv.string("initial-cluster-token"), List.of(inv.string("initial-advertise-peer-urls").split(",")),
                inv.bool("skip-hash-check"));
        Object[] where = {"path", file, "wal-dir", walDir, "data-dir", dataDir, "snap-dir", snapDir};
        var err = inv.console().err();
        try {
            SnapshotRestore.restore(o, new SnapshotRestore.Progress() {
                @Override
                public void restoring() {
                    err.println(ZapLine.info("snapshot/v3_snapshot.go:296", "restoring snapshot", where));
                }

                @Override
                public void addedMember(InitialCluster cluster, InitialCluster.Member m) {
                    err.println(ZapLine.info("membership/cluster.go:392", "added member",
                            "cluster-id", Long.toHexString(cluster.clusterId()), "local-member-id", "0",
                            "added-peer-id", Long.toHexString(m.id()), "added-peer-peer-urls", m.peerUrlStrings()));
                }

                @Override
                public void restored() {
                    err.println(ZapLine.info("snapshot/v3_snapshot.go:309", "restored snapshot", where));
                }
            });
        } catch (IOException e) {
            throw inv.fail(ExitCodes.ERROR, e.getMessage());
        }
    }

    /** Go's filepath.Join: the parts joined by '/', cleaned. */
    private static String join(String dir, String rest) {
        return Path.of(dir).resolve(rest).normalize().toString();
    }
}
