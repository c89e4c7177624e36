package io.etcdj.etcdutl;

import io.etcdj.etcdctl.cli.FlagSet;
import io.etcdj.etcdctl.cli.Invocation;
import java.nio.file.Path;
import java.util.List;

/**
 * The flags etcdctl 3.4's and etcdutl 3.5's {@code snapshot restore} share (same names, defaults
 * and texts), and the {@link SnapshotRestore.Options} they make with the snapshot file (the one
 * argument) and the data dir each tool decides on.
 */
public final class RestoreFlags {
    private RestoreFlags() {}

    public static void addTo(FlagSet flags) {
        flags.string("wal-dir", "", "", "Path to the WAL directory (use --data-dir if none given)");
        flags.string("initial-cluster", "", "default=http://localhost:2380",
                "Initial cluster configuration for restore bootstrap");
        flags.string("initial-cluster-token", "", "etcd-cluster",
                "Initial cluster token for the etcd cluster during restore bootstrap");
        flags.string("initial-advertise-peer-urls", "", "http://localhost:2380",
                "List of this member's peer URLs to advertise to the rest of the cluster");
        flags.string("name", "", "default", "Human-readable name for this member");
        flags.bool("skip-hash-check", "", false,
                "Ignore snapshot integrity hash value (required if copied from data directory)");
    }

    public static SnapshotRestore.Options options(Invocation inv, String dataDir) {
        String walFlag = inv.string("wal-dir");
        return new SnapshotRestore.Options(Path.of(inv.args().get(0)), Path.of(dataDir),
                walFlag.isEmpty() ? null : Path.of(walFlag), inv.string("name"), inv.string("initial-cluster"),
                inv.string("initial-cluster-token"), List.of(inv.string("initial-advertise-peer-urls").split(",")),
                inv.bool("skip-hash-check"));
    }

    /** Where the WAL goes, as the log lines name it: --wal-dir, else DATA-DIR/member/wal. */
    public static String walDir(Invocation inv, String dataDir) {
        String walFlag = inv.string("wal-dir");
        return walFlag.isEmpty() ? join(dataDir, "member/wal") : walFlag;
    }

    /** Go's filepath.Join: the parts joined by '/', cleaned. */
    public static String join(String dir, String rest) {
        return Path.of(dir).resolve(rest).normalize().toString();
    }
}
