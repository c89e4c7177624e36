package io.etcdj.etcdctl.command;

import io.etcdj.etcdctl.cli.Command;
import io.etcdj.etcdctl.cli.ExitCodes;
import io.etcdj.etcdctl.cli.Invocation;
import io.etcdj.etcdctl.client.ZapLine;
import io.etcdj.etcdctl.print.DbStatus;
import io.etcdj.etcdutl.RestoreFlags;
import io.etcdj.etcdutl.SnapshotRestore;
import io.etcdj.etcdutl.SnapshotStatus;
import io.etcdj.mvcc.backend.bbolt.BboltFormatException;
import io.etcdj.server.config.InitialCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
        } catch (BboltFormatException e) {
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
        RestoreFlags.addTo(c.flags());
        return c;
    }

    private static void restore(Invocation inv) {
        if (inv.args().size() != 1) {
            throw inv.fail(ExitCodes.BAD_ARGS, "snapshot restore requires exactly one argument");
        }
        String name = inv.string("name");
        String dataDir = inv.string("data-dir").isEmpty() ? name + ".etcd" : inv.string("data-dir");
        String walDir = RestoreFlags.walDir(inv, dataDir);
        String snapDir = RestoreFlags.join(dataDir, "member/snap");
        String file = inv.args().get(0);
        SnapshotRestore.Options o = RestoreFlags.options(inv, dataDir);
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
}
