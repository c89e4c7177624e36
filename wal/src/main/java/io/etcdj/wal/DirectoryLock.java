package io.etcdj.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exclusive lock on a lock file, held against other processes (an OS file lock) and against
 * other holders in this JVM (a registry of held files, checked BEFORE the file is opened:
 * POSIX drops a process's lock when any descriptor of the file is closed, so a second
 * in-process attempt must never open and close the file). The holder's pid is written into
 * the file so that a refused process can name it.
 */
final class DirectoryLock implements AutoCloseable {
    private static final Set<Path> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Locks {@code lockFile} (created if missing) or fails at once.
     *
     * @param what what is being locked, for the message: "data dir /x" or "wal dir /y"
     * @throws DataDirLockedException if another process or another holder in this JVM has it
     */
    static DirectoryLock acquire(Path lockFile, String what) throws IOException {
        if (!Files.exists(lockFile)) {
            try {
                Files.createFile(lockFile);
            } catch (FileAlreadyExistsException raced) {
                // another opener created it; the lock decides
            }
        }
        Path key = lockFile.toRealPath();
        if (!HELD_IN_THIS_JVM.add(key)) {
            throw new DataDirLockedException("etcd: " + what + " is in use by another instance in this"
                    + " process (lock file " + lockFile + ")", lockFile);
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(key, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = readHolder(ch);
                throw new DataDirLockedException("etcd: " + what + " is in use by another process (lock"
                        + " file " + lockFile + (holder.isEmpty() ? "" : ", held by pid " + holder) + ")",
                        lockFile);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            return new DirectoryLock(key, ch, lock);
        } catch (IOException | RuntimeException e) {
            if (ch != null) {
                ch.close();
            }
            HELD_IN_THIS_JVM.remove(key);
            throw e;
        }
    }

    private static String readHolder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            return new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Releases the lock (the file stays; its presence means nothing without the lock). */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            HELD_IN_THIS_JVM.remove(key);
        }
    }
}
