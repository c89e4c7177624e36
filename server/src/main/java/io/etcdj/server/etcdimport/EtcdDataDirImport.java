package io.etcdj.server.etcdimport;

import io.etcdj.mvcc.backend.bbolt.BboltFile;
import io.etcdj.wal.etcd.EtcdWal;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a data dir that etcd wrote (its backend {@code member/snap/db} is a bbolt file, where ours is a
 * RocksDB directory) into one of ours, in place, before the member opens it: the operator who swaps the
 * etcd binary for ours on an existing member starts it with the same flags and finds the same data.
 *
 * <h2>Steps, and what a crash at each leaves</h2>
 * <ol>
 *   <li>Ours is built beside etcd's, read-only on etcd's files ({@link EtcdMemberConversion}): a data dir
 *       {@code <data-dir>/member.etcd-import-staging} whose {@code member} directory is complete when the
 *       step ends (and, with {@code --wal-dir W}, our WAL in {@code W.etcd-import-staging}). A crash
 *       here leaves etcd's data dir as it was; the next start deletes the staging and begins again.</li>
 *   <li>The swap: {@code W} becomes {@code W.etcd-import-backup} and the staged WAL {@code W} (with
 *       --wal-dir only); then {@code member} becomes {@code member.etcd-import-backup} and the staged
 *       member directory {@code member}. Each is a rename, the parent fsynced. A start that finds a
 *       backup without its original finishes the renames; one that finds etcd's {@code member} still in
 *       place but the WAL already swapped reads etcd's WAL from the backup and stages again.</li>
 * </ol>
 * etcd's originals are never written or deleted: rolling back is moving the backups back. A data dir of
 * ours is left alone, so the import happens once.
 */
public final class EtcdDataDirImport {
    private static final Logger log = LoggerFactory.getLogger(EtcdDataDirImport.class);
    static final String BACKUP_SUFFIX = ".etcd-import-backup";
    static final String STAGING_SUFFIX = ".etcd-import-staging";
    private static final String LOCK_FILE = "member.etcd-import.lock";

    private EtcdDataDirImport() {}

    /** Whether {@code dataDir} holds a member that etcd wrote (a bbolt backend at member/snap/db). */
    public static boolean isEtcdDataDir(Path dataDir) {
        Path db = dataDir.resolve("member").resolve("snap").resolve("db");
        return Files.isRegularFile(db) && BboltFile.isBbolt(db);
    }

    /**
     * Imports {@code dataDir} (with its WAL in {@code walDir}, null or empty for member/wal) when etcd wrote
     * it, or finishes an import that was interrupted; does nothing on a data dir of ours or a new one.
     *
     * @param bcryptCost how the passwords of etcd's user-add entries not yet applied are hashed
     * @throws IOException naming what could not be imported; etcd's data dir is then as it was
     */
    public static void run(Path dataDir, Path walDir, int bcryptCost) throws IOException {
        Path root = dataDir.toAbsolutePath().normalize();
        Path member = root.resolve("member");
        Path separateWal = walDir == null || walDir.toString().isEmpty() ? null : walDir.toAbsolutePath().normalize();
        boolean swapUnfinished = !Files.exists(member) && Files.exists(sibling(member, BACKUP_SUFFIX));
        if (!swapUnfinished && !isEtcdDataDir(root)) {
            Path staging = sibling(member, STAGING_SUFFIX);
            if (Files.isDirectory(member) && Files.exists(staging)) {
                deleteTree(staging); // emptied by a finished swap, then the process died
            }
            return; // ours, or a new member
        }
        try (FileChannel lockFile = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                throw new IOException("data dir " + root + " is being imported from etcd by another process ("
                        + root.resolve(LOCK_FILE) + " is locked)");
            }
            importLocked(root, member, separateWal, bcryptCost);
        } finally {
            Files.deleteIfExists(root.resolve(LOCK_FILE));
        }
    }

    private static void importLocked(Path root, Path member, Path separateWal, int bcryptCost) throws IOException {
        Path memberBackup = sibling(member, BACKUP_SUFFIX);
        Path staging = sibling(member, STAGING_SUFFIX);
        Path stagedMember = staging.resolve("member");
        Path stagedWal = separateWal == null ? null : sibling(separateWal, STAGING_SUFFIX);
        if (!Files.exists(member) && Files.exists(memberBackup)) {
            if (!Files.isDirectory(stagedMember)) {
                throw new IOException("data dir " + root + " has no member directory but " + memberBackup
                        + " (etcd's, moved aside by an import) and no imported copy to put in its place; move "
                        + memberBackup.getFileName() + " back to member to import it again");
            }
            log.info("finishing the import of etcd's data dir {}: its member directory is in {}", root, memberBackup);
            finishSwap(separateWal, stagedWal, member, stagedMember, staging);
            return;
        }
        if (!isEtcdDataDir(root)) {
            return; // ours (imported before, or never etcd's)
        }
        if (Files.exists(memberBackup)) {
            throw new IOException("etcd's data dir " + root + " cannot be imported: " + memberBackup
                    + " already exists (a backup of an earlier import); move it elsewhere first");
        }
        Path etcdWal = member.resolve("wal");
        if (separateWal != null) {
            Path walBackup = sibling(separateWal, BACKUP_SUFFIX);
            etcdWal = Files.isDirectory(walBackup) ? walBackup : separateWal;
            if (etcdWal == walBackup && Files.exists(separateWal)) {
                // an earlier attempt swapped the WAL in but not the member directory: that WAL is ours
                deleteTree(separateWal);
            }
        }
        if (!EtcdWal.looksLikeEtcdWal(etcdWal)) {
            throw new IOException("data dir " + root + " has etcd's backend (member/snap/db is a bbolt file) but "
                    + etcdWal + " holds no WAL of etcd's; etcdj cannot start on it");
        }
        refuseWhileEtcdRuns(root, etcdWal);
        deleteTree(staging);
        if (stagedWal != null) {
            deleteTree(stagedWal);
        }
        String backups = separateWal == null ? memberBackup.toString()
                : memberBackup + " and " + sibling(separateWal, BACKUP_SUFFIX);
        log.info("importing etcd's data dir {} (WAL {}); etcd's files will be kept in {}", root, etcdWal, backups);
        EtcdMemberConversion.Result r;
        try {
            r = EtcdMemberConversion.convert(member, etcdWal, staging, stagedWal, bcryptCost);
        } catch (IOException | RuntimeException e) {
            deleteTree(staging); // ours, half written: etcd's data dir stays as it was
            if (stagedWal != null) {
                deleteTree(stagedWal);
            }
            throw new IOException("cannot import etcd's data dir " + root + " (left as it was): " + e.getMessage(), e);
        }
        finishSwap(separateWal, stagedWal, member, stagedMember, staging);
        log.info("imported etcd's data dir {}: member {} of cluster {}, applied index {}, {} entries after it, "
                        + "etcd's originals kept in {}", root, Long.toHexString(r.memberId()),
                Long.toHexString(r.clusterId()), r.appliedIndex(), r.entriesAfterApplied(), backups);
    }

    /**
     * Refuses to import while an etcd process serves the data dir. A running etcd holds a lock on
     * each WAL file it writes (an open-file-description lock on Linux), which conflicts with the
     * POSIX lock this process asks for; none is taken on a stopped member's files, and none is
     * kept here (the files are opened for the lock only, never written).
     */
    private static void refuseWhileEtcdRuns(Path root, Path etcdWal) throws IOException {
        List<Path> segments;
        try (Stream<Path> s = Files.list(etcdWal)) {
            segments = s.filter(p -> p.getFileName().toString().endsWith(".wal")).sorted().toList();
        }
        for (Path segment : segments) {
            try (FileChannel c = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock held = c.tryLock()) {
                if (held == null) {
                    throw new IOException("etcd's data dir " + root + " is in use: another process (etcd itself?)"
                            + " holds the lock on " + segment + "; stop it before starting etcdj on this data dir");
                }
            } catch (AccessDeniedException notOurs) {
                return; // not writable by us: the import cannot proceed anyway, and says why further on
            }
        }
    }

    /** The renames of step 2, each done only if not done yet. */
    private static void finishSwap(Path separateWal, Path stagedWal, Path member, Path stagedMember, Path staging)
            throws IOException {
        if (separateWal != null && Files.isDirectory(stagedWal)) {
            Path walBackup = sibling(separateWal, BACKUP_SUFFIX);
            if (!Files.exists(walBackup)) {
                rename(separateWal, walBackup);
            }
            if (!Files.exists(separateWal)) {
                rename(stagedWal, separateWal);
            }
        }
        Path memberBackup = sibling(member, BACKUP_SUFFIX);
        if (!Files.exists(memberBackup)) {
            rename(member, memberBackup);
        }
        rename(stagedMember, member);
        deleteTree(staging);
    }

    static Path sibling(Path dir, String suffix) {
        return dir.resolveSibling(dir.getFileName() + suffix);
    }

    private static void rename(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        fsyncDirectory(to.getParent());
        if (!from.getParent().equals(to.getParent())) {
            fsyncDirectory(from.getParent());
        }
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        }
    }

    /** Deletes a directory this import made (staging); never called on etcd's files. */
    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
