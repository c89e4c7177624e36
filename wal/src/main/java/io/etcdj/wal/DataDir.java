package io.etcdj.wal;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A member's data directory, laid out as etcd's:
 * <pre>
 *   &lt;data-dir&gt;/member/            mode 0700; holds the lock file "lock"
 *   &lt;data-dir&gt;/member/wal/        WAL segments (unless --wal-dir names another directory,
 *                                 which then holds its own "lock")
 *   &lt;data-dir&gt;/member/snap/       raft snapshot files (*.snap)
 *   &lt;data-dir&gt;/member/snap/db     the backend (the mvcc module's store, a directory)
 * </pre>
 * Opening takes an exclusive lock that fails at once, with an error naming the directory and
 * the lock file, when another process or another open DataDir of this JVM holds it; it is held
 * until {@link #close()}. Directories are created with mode 0700 where missing.
 */
public final class DataDir implements AutoCloseable {
    public static final String LOCK_FILE = "lock";

    private final Path root;
    private final Path walDir;
    private final List<DirectoryLock> locks;

    private DataDir(Path root, Path walDir, List<DirectoryLock> locks) {
        this.root = root;
        this.walDir = walDir;
        this.locks = locks;
    }

    /** Opens and locks {@code dataDir} with the WAL in member/wal. */
    public static DataDir open(Path dataDir) throws IOException {
        return open(dataDir, null);
    }

    /**
     * Opens and locks {@code dataDir}; {@code walDir} is {@code --wal-dir} (null or empty for
     * member/wal), locked as well when it is separate.
     *
     * @throws DataDirLockedException if the data dir or WAL dir is in use
     */
    public static DataDir open(Path dataDir, Path walDir) throws IOException {
        Path root = dataDir.toAbsolutePath().normalize();
        Path member = root.resolve("member");
        Path wal = walDir == null || walDir.toString().isEmpty()
                ? member.resolve("wal") : walDir.toAbsolutePath().normalize();
        try {
            createPrivateDirectories(member);
        } catch (FileSystemException e) {
            // etcd's words: "cannot access data directory: mkdir /data: permission denied"
            throw new IOException("cannot access data directory: " + GoFileErrors.describe("mkdir", e), e);
        }
        List<DirectoryLock> locks = new ArrayList<>();
        try {
            locks.add(DirectoryLock.acquire(member.resolve(LOCK_FILE), "data dir " + root));
            createPrivateDirectories(wal);
            if (!wal.startsWith(member)) {
                locks.add(DirectoryLock.acquire(wal.resolve(LOCK_FILE), "wal dir " + wal));
            }
            createPrivateDirectories(member.resolve("snap"));
        } catch (IOException | RuntimeException e) {
            for (DirectoryLock l : locks) {
                l.close();
            }
            throw e;
        }
        return new DataDir(root, wal, locks);
    }

    /**
     * Creates {@code dir} and missing parents with mode 0700 (where the file system has modes),
     * and fsyncs the parent of each directory created so that the new entries survive a crash.
     */
    static void createPrivateDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            return;
        }
        Path firstMissing = abs;
        while (firstMissing.getParent() != null && !Files.exists(firstMissing.getParent())) {
            firstMissing = firstMissing.getParent();
        }
        try {
            Files.createDirectories(abs, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(abs);
        }
        for (Path created = abs; ; created = created.getParent()) {
            DirectorySync.fsync(created.getParent());
            if (created.equals(firstMissing)) {
                break;
            }
        }
    }

    /** The data directory itself (absolute). */
    public Path path() {
        return root;
    }

    public Path memberDir() {
        return root.resolve("member");
    }

    /** Where the WAL lives: member/wal or the --wal-dir. */
    public Path walDir() {
        return walDir;
    }

    public Path snapDir() {
        return memberDir().resolve("snap");
    }

    /** The backend's path, member/snap/db (the mvcc module creates it). */
    public Path backendPath() {
        return snapDir().resolve("db");
    }

    /** Whether a WAL exists, i.e. this member has been started before. */
    public boolean hasWal() throws IOException {
        return Wal.exists(walDir);
    }

    /** Releases the locks. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (DirectoryLock l : locks) {
            try {
                l.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
