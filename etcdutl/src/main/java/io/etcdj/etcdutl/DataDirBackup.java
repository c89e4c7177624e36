package io.etcdj.etcdutl;

import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.server.membership.Member;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.pb.MembershipRecord;
import io.etcdj.server.storage.MvccServerBackend;
import io.etcdj.server.storage.RaftLogStore;
import io.etcdj.server.storage.WalRaftLog;
import io.etcdj.server.v2.replicated.V2StateMachine;
import io.etcdj.wal.SnapshotMarker;
import io.etcdj.wal.SnapshotStore;
import io.etcdj.wal.Wal;
import io.etcdj.wal.WalContents;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code backup} (etcdctl v2's and etcdutl's): copies a member's data dir into a new one from which
 * a member starts with {@code --force-new-cluster} as a one-member cluster of its own, never able to
 * join the old one. What the backup holds:
 * <ul>
 *   <li>a WAL whose metadata names a new member ID and a new cluster ID (etcd's generator: the
 *       low 40 bits of the clock in milliseconds, shifted by 8, plus 1 and 2), with the source's
 *       hard state and its entries from the newest snapshot on, minus those {@link BackupEntries}
 *       drops (replaced by empty entries, so every index keeps its meaning);</li>
 *   <li>that snapshot, its configuration replaced by the new member alone;</li>
 *   <li>a backend: with {@code --with-v3} a copy of the source's, otherwise a new one holding only
 *       the v2 store (which we keep in the backend, where etcd keeps it in the snapshot file) and
 *       the source's consistent index; in both, the membership replaced by the new member (peer
 *       URL {@code http://localhost:2380}, no name until it publishes one) with every old member
 *       listed as removed, in the members schema and in the v2 store's {@code /0} records.</li>
 * </ul>
 * Invariant: the backend's consistent index names an entry of the backup's log (or its snapshot),
 * so the restarted member replays exactly the entries the backend misses.
 */
public final class DataDirBackup {
    /**
     * @param walDir the source's --wal-dir, or null for {@code <dataDir>/member/wal}
     * @param backupWalDir where the backup's WAL goes, or null for {@code <backupDir>/member/wal}
     * @param lockWait how long to wait for a running member to release the source backend
     */
    public record Options(Path dataDir, Path walDir, Path backupDir, Path backupWalDir, boolean withV3,
                          Duration lockWait) {}

    /** Where the backup tells what it does: dropped entries, a lock waited for (info); a loose permission (warn). */
    public interface Log {
        void info(String message);

        void warn(String message);
    }

    /** The identity the backup's member starts with. */
    public record Result(long memberId, long clusterId) {}

    private DataDirBackup() {
    }

    /**
     * Writes the backup; {@code log} is told what is dropped and when the source backend is locked.
     *
     * @throws IOException with the message etcd logs before exiting (a missing source, a backup
     *     directory that is not empty, a WAL that does not verify, ...)
     */
    public static Result run(Options o, Log log) throws IOException, InterruptedException {
        Path srcSnap = o.dataDir().resolve("member").resolve("snap");
        Path destSnap = o.backupDir().resolve("member").resolve("snap");
        Path srcWal = o.walDir() != null ? o.walDir() : o.dataDir().resolve("member").resolve("wal");
        Path destWal = o.backupWalDir() != null ? o.backupWalDir() : o.backupDir().resolve("member").resolve("wal");
        createEmptyDirectory(destSnap, log);

        if (!Files.isDirectory(srcSnap)) {
            throw new IOException("open " + srcSnap + ": no such file or directory");
        }
        if (!Files.isDirectory(srcWal)) {
            throw new IOException("open " + srcWal + ": no such file or directory");
        }
        Snapshot snapshot = new SnapshotStore(srcSnap, 0).loadNewestAvailable(Wal.validSnapshotMarkers(srcWal)).orElse(null);
        SnapshotMarker from = snapshot == null ? SnapshotMarker.ZERO
                : new SnapshotMarker(snapshot.getMetadata().getIndex(), snapshot.getMetadata().getTerm());
        WalContents wal = Wal.read(srcWal, from);
        List<Entry> entries = BackupEntries.translate(wal.entries(), o.withV3(), log::info);

        long[] ids = newIds(System.currentTimeMillis());
        long memberId = ids[0];
        long clusterId = ids[1];
        MembershipRecord membership = copyBackend(o, srcSnap.resolve("db"), destSnap.resolve("db"), from, wal.entries(),
                memberId, clusterId, log);

        try (WalRaftLog out = WalRaftLog.create(destWal, destSnap, new RaftLogStore.LogIdentity(memberId, clusterId),
                new WalRaftLog.Options(5, SnapshotStore.DEFAULT_MAX_SNAPSHOTS, false))) {
            if (snapshot != null) { // the marker before the entries after it
                out.saveSnapshot(snapshot.toBuilder().setData(membership.toByteString())
                        .setMetadata(snapshot.getMetadata().toBuilder().setConfState(
                                ConfState.newBuilder().addVoters(memberId))).build());
            }
            out.save(wal.hardState(), entries, true);
        }
        return new Result(memberId, clusterId);
    }

    /** etcd's idutil generator started now: a member ID, then the next ID as the cluster ID. */
    static long[] newIds(long nowMillis) {
        long base = (nowMillis & ((1L << 40) - 1)) << 8;
        return new long[] {base + 1, base + 2};
    }

    /**
     * Writes the backup's backend (see the class comment) and returns the membership written into it.
     * The source's consistent index must not be older than the snapshot (a member that crashed while
     * taking a leader's snapshot: start it once first).
     */
    private static MembershipRecord copyBackend(Options o, Path srcDb, Path destDb, SnapshotMarker from,
                                                List<Entry> srcEntries, long memberId, long clusterId,
                                                Log log) throws IOException, InterruptedException {
        if (!Files.isDirectory(srcDb)) {
            throw new IOException("open " + srcDb + ": no such file or directory");
        }
        long consistentIndex;
        Optional<byte[]> v2Store;
        MembershipRecord old;
        try (MvccServerBackend src = openLocked(srcDb, o.lockWait(), log)) {
            consistentIndex = src.consistentIndex();
            v2Store = src.loadV2Store();
            old = src.loadMembership().orElse(MembershipRecord.getDefaultInstance());
            if (o.withV3()) {
                src.checkpoint(destDb);
            }
        }
        if (consistentIndex < from.index()) {
            throw new IOException("the backend " + srcDb + " (at index " + consistentIndex
                    + ") is older than the snapshot at index " + from.index() + "; start the member once to finish it");
        }
        try (MvccServerBackend dest = MvccServerBackend.open(destDb)) {
            if (!o.withV3()) {
                dest.setApplyPosition(consistentIndex, termAt(consistentIndex, from, srcEntries));
                if (v2Store.isPresent()) {
                    dest.saveV2Store(v2Store.get());
                } else {
                    dest.markApplied();
                }
            }
            V2StateMachine v2 = new V2StateMachine(dest);
            TreeSet<Long> removed = new TreeSet<>(old.getRemovedList());
            for (Member m : Membership.fromRecord(old).members()) {
                v2.recordConfChange(ConfChangeType.ConfChangeRemoveNode, m.id(), m, null);
                removed.add(m.id());
            }
            Member self = Member.placeholder(memberId);
            v2.recordConfChange(ConfChangeType.ConfChangeAddNode, memberId, null, self);
            MembershipRecord membership = new Membership(clusterId, List.of(self), removed).toRecord();
            dest.saveMembership(membership, v2.state());
            dest.sync();
            return membership;
        }
    }

    /** The term of the entry at {@code index}: the snapshot's, or an entry's after it. */
    private static long termAt(long index, SnapshotMarker from, List<Entry> entries) throws IOException {
        if (index == from.index()) {
            return from.term();
        }
        for (Entry e : entries) {
            if (e.getIndex() == index) {
                return e.getTerm();
            }
        }
        throw new IOException("the backend's consistent index " + index + " is not in the WAL (entries after "
                + from.index() + ")");
    }

    /** Opens the source backend, waiting (told once) while a running member holds it. */
    private static MvccServerBackend openLocked(Path db, Duration wait, Log log)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        while (true) {
            try {
                return MvccServerBackend.open(db);
            } catch (RuntimeException e) {
                if (!OfflineDefrag.heldByAnotherProcess(e)) {
                    throw new IOException("cannot open database at " + db + " (" + e.getMessage() + ")", e);
                }
                if (!told) {
                    log.info("waiting to acquire lock on " + db);
                    told = true;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IOException("timed out waiting to acquire lock on " + db, e);
                }
                Thread.sleep(100); // polling another process's lock: nothing to wait on
            }
        }
    }

    /**
     * Creates {@code dir} (and parents, mode 0700) or accepts it if empty, as etcd's CreateDirAll:
     * a backup never mixes with older files. An existing one open to others is warned about.
     */
    static void createEmptyDirectory(Path dir, Log log) throws IOException {
        if (Files.isDirectory(dir)) {
            try {
                String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(dir));
                if (!mode.equals("rwx------")) {
                    log.warn("check file permission: directory \"" + dir + "\" exist, but the permission is \"d" + mode
                            + "\". The recommended permission is \"-rwx------\" to prevent possible unprivileged access to the data.");
                }
            } catch (UnsupportedOperationException noPosixModes) {
                // nothing to check
            }
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new IOException("failed creating backup snapshot dir " + dir + ": " + e.getMessage(), e);
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> in = Files.newDirectoryStream(dir)) {
            in.forEach(p -> names.add(p.getFileName().toString()));
        }
        if (!names.isEmpty()) {
            names.sort(null);
            throw new IOException("failed creating backup snapshot dir " + dir + ": expected \"" + dir
                    + "\" to be empty, got [" + String.join(" ", names.stream().map(n -> "\"" + n + "\"").toList()) + "]");
        }
    }
}
