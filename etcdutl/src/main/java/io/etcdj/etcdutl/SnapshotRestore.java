package io.etcdj.etcdutl;

import io.etcdj.mvcc.Revision;
import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.BackendBatch;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.mvcc.backend.MetaKeys;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.HardState;
import io.etcdj.server.config.InitialCluster;
import io.etcdj.server.membership.Member;
import io.etcdj.server.snapshot.SnapshotUnpacker;
import io.etcdj.server.storage.RaftLogStore;
import io.etcdj.server.storage.WalRaftLog;
import io.etcdj.wal.DataDir;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a snapshot file (ours, or etcd's own bbolt one: {@link EtcdSnapshotFile}) into the data dir of a
 * member of a NEW cluster, as etcd's snapshot restore:
 * the key space (and its revision, leases, alarms) comes from the snapshot; the member and cluster IDs
 * come from --name, --initial-cluster and --initial-cluster-token.
 *
 * <p>What is written is exactly what a member of that new cluster writes on its first start, before
 * it applies anything, plus the keys: the backend without membership and with no consistent index
 * (0), and a WAL whose metadata names the member and cluster, holding one ConfChangeAddNode entry per
 * initial member (term 1, indexes 1..n, each carrying the member's record) and the hard state
 * {term 1, commit n}. Started, the member replays those entries like any restarted member, which
 * rebuilds raft's configuration and stores the membership; no --initial-cluster flags are needed then.
 */
public final class SnapshotRestore {
    /** The flags of {@code snapshot restore}, with etcd's defaults applied by the caller. */
    public record Options(Path snapshotFile, Path dataDir, Path walDir, String name, String initialCluster,
                          String initialClusterToken, List<String> initialAdvertisePeerUrls, boolean skipHashCheck) {}

    /**
     * What a restore reports as it goes (etcdctl 3.4 logs each step): called after the flags are
     * validated and before the snapshot is read, once per member written into the bootstrap log, and
     * once the data dir is complete.
     */
    public interface Progress {
        Progress SILENT = new Progress() {};

        default void restoring() {}

        /** After the old membership is dropped: the revision was raised from {@code latest} to {@code bumped}. */
        default void bumpedRevision(long latest, long bumped) {}

        default void addedMember(InitialCluster cluster, InitialCluster.Member member) {}

        default void restored() {}
    }

    private SnapshotRestore() {}

    /** @throws IOException with etcd's text where etcd has one (existing data dir, unknown name, hash) */
    public static void restore(Options o) throws IOException {
        restore(o, Progress.SILENT);
    }

    /** {@link #restore(Options)}, reporting each step to {@code progress}. */
    public static void restore(Options o, Progress progress) throws IOException {
        restore(o, false, 0, progress);
    }

    /**
     * etcdutl 3.5's restore: as {@link #restore(Options, Progress)}, but into a data dir that is absent
     * or empty, then ({@code --bump-revision N --mark-compacted}) the store's revision raised by
     * {@code bumpRevision} and compacted there: the restored member starts at the raised revision,
     * every key at its latest version, and a read below it is refused as compacted, so no client that
     * saw a later revision before the restore is shown an older one under the same number.
     */
    public static void restore(Options o, long bumpRevision, Progress progress) throws IOException {
        restore(o, true, bumpRevision, progress);
    }

    private static void restore(Options o, boolean intoEmptyDir, long bumpRevision, Progress progress)
            throws IOException {
        InitialCluster cluster;
        try {
            cluster = InitialCluster.parse(o.initialCluster(), o.initialClusterToken());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        InitialCluster.Member self = cluster.member(o.name()).orElseThrow(() -> new IOException(
                "couldn't find local name \"" + o.name() + "\" in the initial cluster configuration"));
        List<String> advertised = o.initialAdvertisePeerUrls().stream().map(u -> URI.create(u).toString()).sorted().toList();
        if (!advertised.equals(self.peerUrlStrings())) {
            throw new IOException("--initial-cluster has " + o.name() + "=" + String.join(",", self.peerUrlStrings())
                    + " but missing from --initial-advertise-peer-urls=" + String.join(",", advertised)
                    + " (" + urlsDiffer(advertised, self.peerUrlStrings()) + ")");
        }
        if (Files.exists(o.dataDir()) && !(intoEmptyDir && emptyOrAbsent(o.dataDir()))) {
            throw new IOException("data-dir \"" + o.dataDir() + "\" exists");
        }
        progress.restoring();
        if (!Files.exists(o.snapshotFile())) {
            throw new IOException("open " + o.snapshotFile() + ": no such file or directory");
        }
        try (DataDir dataDir = DataDir.open(o.dataDir(), o.walDir())) {
            if (EtcdSnapshotFile.is(o.snapshotFile())) {
                EtcdSnapshotFile.importInto(o.snapshotFile(), dataDir.backendPath(), o.skipHashCheck());
            } else {
                SnapshotUnpacker.unpack(o.snapshotFile(), dataDir.backendPath(), o.skipHashCheck());
            }
            forgetClusterAndRaftPosition(dataDir.backendPath());
            if (bumpRevision > 0) {
                long latest = bumpRevision(dataDir.backendPath(), bumpRevision);
                progress.bumpedRevision(latest, latest + bumpRevision);
            }
            writeBootstrapLog(dataDir, cluster, self);
            for (InitialCluster.Member m : cluster.members()) {
                progress.addedMember(cluster, m);
            }
        }
        progress.restored();
    }

    /** etcd 3.5 restores into a data dir that is absent or empty. */
    static boolean emptyOrAbsent(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** etcd's reason two sorted URL lists differ: their lengths, or the first pair that differs. */
    private static String urlsDiffer(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return "len(" + goQuoted(a) + ") != len(" + goQuoted(b) + ")";
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).equals(b.get(i))) {
                return "resolved urls: \"" + a.get(i) + "\" != \"" + b.get(i) + "\"";
            }
        }
        return "";
    }

    private static String goQuoted(List<String> l) {
        return l.stream().map(x -> "\"" + x + "\"").collect(Collectors.joining(" ", "[", "]"));
    }

    /** Drops the old cluster's membership and the consistent index from the restored backend. */
    private static void forgetClusterAndRaftPosition(Path backendDir) {
        try (Backend b = Backend.open(backendDir); BackendBatch batch = b.newBatch()) {
            for (Bucket bucket : List.of(Bucket.MEMBERS, Bucket.MEMBERS_REMOVED, Bucket.CLUSTER)) {
                b.forEach(bucket, null, null, (k, v) -> {
                    batch.delete(bucket, k);
                    return true;
                });
            }
            batch.delete(Bucket.META, MetaKeys.CONSISTENT_INDEX);
            batch.delete(Bucket.META, MetaKeys.TERM);
            b.commitWithoutConsistentIndex(batch);
            b.sync();
        }
    }

    /**
     * Schedules a compaction at the latest revision plus {@code amount}; opening the store then takes
     * that as its current revision (it is never below a scheduled compaction) and compacts there.
     * Returns the latest revision before the bump (0 for a store never written).
     */
    private static long bumpRevision(Path backendDir, long amount) {
        try (Backend b = Backend.open(backendDir); BackendBatch batch = b.newBatch()) {
            long[] latest = {0};
            b.forEach(Bucket.KEY, null, null, (k, v) -> {
                latest[0] = Math.max(latest[0], Revision.fromBytes(k).main());
                return true;
            });
            batch.put(Bucket.META, MetaKeys.SCHEDULED_COMPACT_REV, Revision.of(latest[0] + amount).toBytes());
            b.commitWithoutConsistentIndex(batch);
            b.sync();
            return latest[0];
        }
    }

    /** The WAL a new member writes when it bootstraps the cluster (raft's Bootstrap, persisted). */
    private static void writeBootstrapLog(DataDir dataDir, InitialCluster cluster, InitialCluster.Member self)
            throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (InitialCluster.Member m : cluster.members()) {
            Member member = new Member(m.id(), m.name(), m.peerUrlStrings(), List.of(), false);
            ConfChange cc = ConfChange.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(m.id())
                    .setContext(member.toRecord().toByteString()).build();
            entries.add(Entry.newBuilder().setType(EntryType.EntryConfChange).setTerm(1).setIndex(entries.size() + 1)
                    .setData(cc.toByteString()).build());
        }
        HardState hs = HardState.newBuilder().setTerm(1).setCommit(entries.size()).build();
        try (WalRaftLog log = WalRaftLog.create(dataDir.walDir(), dataDir.snapDir(),
                new RaftLogStore.LogIdentity(self.id(), cluster.clusterId()), new WalRaftLog.Options(5, 5, false))) {
            log.save(hs, entries, true);
        }
    }

}
