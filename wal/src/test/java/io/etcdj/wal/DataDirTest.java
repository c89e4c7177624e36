package io.etcdj.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
    private static final long DEADLINE_NANOS = 30_000_000_000L;

    @TempDir Path tmp;

    @Test
    void theLayoutIsEtcdsWithPrivateDirectories() throws Exception {
        Path root = tmp.resolve("infra1.etcd");
        try (DataDir d = DataDir.open(root)) {
            assertThat(d.memberDir()).isEqualTo(root.resolve("member"));
            assertThat(d.walDir()).isEqualTo(root.resolve("member/wal"));
            assertThat(d.snapDir()).isEqualTo(root.resolve("member/snap"));
            assertThat(d.backendPath()).isEqualTo(root.resolve("member/snap/db"));
            for (Path p : new Path[] {root, d.memberDir(), d.walDir(), d.snapDir()}) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
                        .as(p.toString()).isEqualTo("rwx------");
            }
            assertThat(d.hasWal()).isFalse();
            Wal.create(d.walDir(), TestLogs.metadata(), TestLogs.smallSegments(8192)).close();
            assertThat(d.hasWal()).isTrue();
        }
    }

    @Test
    void aDataDirThatCannotBeMadeIsReportedInEtcdsWords() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        assertThatThrownBy(() -> DataDir.open(file.resolve("sub")))
                .hasMessage("cannot access data directory: mkdir " + file.resolve("sub") + ": not a directory");
        assertThatThrownBy(() -> DataDir.open(Path.of("/proc/no-such-dir")))
                .hasMessage("cannot access data directory: mkdir /proc/no-such-dir: no such file or directory");
    }

    @Test
    void aSecondOpenInTheSameProcessFailsAtOnceAndTheFirstKeepsTheLock() throws Exception {
        Path root = tmp.resolve("d");
        try (DataDir first = DataDir.open(root)) {
            assertThatThrownBy(() -> DataDir.open(root))
                    .isInstanceOf(DataDirLockedException.class)
                    .hasMessage("etcd: data dir " + root + " is in use by another instance in this"
                            + " process (lock file " + root.resolve("member/lock") + ")");
            assertThatThrownBy(() -> DataDir.open(tmp.resolve("./d/../d")))
                    .isInstanceOf(DataDirLockedException.class);
            // the refused attempt must not have dropped the OS lock: another process is refused too
            assertThat(runChild(root)).startsWith("locked: etcd: data dir " + root
                    + " is in use by another process (lock file " + root.resolve("member/lock")
                    + ", held by pid " + ProcessHandle.current().pid() + ")");
        }
        DataDir.open(root).close(); // released
    }

    @Test
    void aDataDirHeldByAnotherProcessIsRefusedWithAClearError() throws Exception {
        Path root = tmp.resolve("d");
        Path stderr = tmp.resolve("holder.err");
        try (ChildJvm holder = ChildJvm.start(LockHolder.class, stderr, root.toString())) {
            assertThat(holder.nextLine(System.nanoTime() + DEADLINE_NANOS))
                    .as(holder.stderrText()).isEqualTo("acquired");
            assertThatThrownBy(() -> DataDir.open(root))
                    .isInstanceOf(DataDirLockedException.class)
                    .hasMessage("etcd: data dir " + root + " is in use by another process (lock file "
                            + root.resolve("member/lock") + ", held by pid " + holder.process.pid() + ")");
            holder.process.getOutputStream().close(); // let it exit, releasing the lock
            holder.process.waitFor();
        }
        DataDir.open(root).close();
    }

    @Test
    void aSeparateWalDirIsUsedAndLockedToo() throws Exception {
        Path root = tmp.resolve("d");
        Path walDir = tmp.resolve("fast-disk/wal");
        try (DataDir d = DataDir.open(root, walDir)) {
            assertThat(d.walDir()).isEqualTo(walDir);
            assertThat(walDir).isDirectory();
            assertThat(root.resolve("member/wal")).doesNotExist();
            assertThatThrownBy(() -> DataDir.open(tmp.resolve("other"), walDir))
                    .isInstanceOf(DataDirLockedException.class)
                    .hasMessageContaining("wal dir " + walDir + " is in use");
            assertThat(runChild(tmp.resolve("other2"), walDir))
                    .startsWith("locked: etcd: wal dir " + walDir + " is in use by another process");
        }
        // the failed attempt released the data dir lock it had taken
        DataDir.open(tmp.resolve("other"), walDir).close();
    }

    private String runChild(Path root, Path... walDir) throws Exception {
        String[] args = walDir.length == 0 ? new String[] {root.toString()}
                : new String[] {root.toString(), walDir[0].toString()};
        try (ChildJvm child = ChildJvm.start(LockHolder.class, tmp.resolve("child.err"), args)) {
            String line = child.nextLine(System.nanoTime() + DEADLINE_NANOS);
            child.process.getOutputStream().close();
            return line + (line != null && line.startsWith("locked") ? "" : child.stderrText());
        }
    }
}
