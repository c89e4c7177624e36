package io.etcdj.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.robustness.cluster.MemberLauncher;
import io.etcdj.robustness.cluster.SoloMember;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Scenario 13: what a member does with a damaged disk, one member process at a time. A flipped
 * bit inside a WAL record is corruption: the member refuses to start and names the file. A WAL
 * whose last record was cut short by the end of the file is a torn write: the tail is repaired and
 * the member starts with everything before it. A corrupt newest snapshot file is set aside and the
 * previous one used. A second process on a data dir in use is refused.
 */
class DiskFaultScenarioIT {
    private static final Duration START = Duration.ofSeconds(60);

    private static MemberLauncher launcher() {
        return MemberLauncher.fromSystemProperties();
    }

    @Test
    void aFlippedBitInAWalRecordStopsTheMemberWhichNamesTheFile() throws Exception {
        try (SoloMember m = new SoloMember(launcher())) {
            m.start();
            m.awaitServing(START);
            writeKeys(m, "a", 20);
            m.put("flip", "FLIP-ME-PLEASE-0123456789");
            writeKeys(m, "b", 20);
            m.kill();

            Path segment = segmentHolding(m.walDir(), "FLIP-ME-PLEASE-0123456789");
            long at = indexOf(segment, "FLIP-ME-PLEASE-0123456789") + 4;
            try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x10);
            }

            m.start();
            int status = m.awaitExit(START);
            assertThat(status).as("exit status of a member with a corrupt WAL").isNotZero();
            assertThat(m.logTail(30)).as("the refusal names the damaged WAL file").contains(segment.getFileName().toString());
        }
    }

    @Test
    void aWalTailCutShortIsRepairedAndTheMemberStarts() throws Exception {
        try (SoloMember m = new SoloMember(launcher())) {
            m.start();
            m.awaitServing(START);
            writeKeys(m, "k", 40);
            m.kill();

            // A torn last write: after the last complete record, the file ends in the middle of a
            // frame (a copy of the last frame's header and the first half of its body).
            Path last = segments(m.walDir()).get(segments(m.walDir()).size() - 1);
            byte[] data = Files.readAllBytes(last);
            long[] lastFrame = lastFrame(data);
            int start = (int) lastFrame[0];
            int end = (int) (lastFrame[0] + lastFrame[1]);
            try (RandomAccessFile f = new RandomAccessFile(last.toFile(), "rw")) {
                f.setLength(end);
                f.seek(end);
                f.write(data, start, (int) (lastFrame[1] / 2));
            }

            m.start();
            m.awaitServing(START);
            for (int i = 0; i < 40; i++) {
                assertThat(m.get("k" + i)).as("k%d after the repair", i).isEqualTo("v" + i);
            }
            m.put("after", "repair");
            m.kill();
            m.start(); // the repaired WAL opens cleanly again
            m.awaitServing(START);
            assertThat(m.get("after")).isEqualTo("repair");
        }
    }

    @Test
    void aCorruptNewestSnapshotIsSetAsideAndThePreviousOneUsed() throws Exception {
        try (SoloMember m = new SoloMember(launcher().withFlag("snapshot-count", "20"))) {
            m.start();
            m.awaitServing(START);
            writeKeys(m, "s", 120);
            m.kill();

            List<Path> snaps = files(m.snapDir(), ".snap");
            assertThat(snaps).as("snapshot files after 120 writes with --snapshot-count 20").hasSizeGreaterThanOrEqualTo(2);
            Path newest = snaps.get(snaps.size() - 1);
            try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
                long at = f.length() / 2;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0xff);
            }

            m.start();
            m.awaitServing(START);
            for (int i = 0; i < 120; i++) {
                assertThat(m.get("s" + i)).as("s%d with the previous snapshot", i).isEqualTo("v" + i);
            }
            assertThat(newest.resolveSibling(newest.getFileName() + ".broken")).as("the corrupt snapshot set aside")
                    .exists();
        }
    }

    @Test
    void aSecondProcessOnADataDirInUseIsRefused() throws Exception {
        try (SoloMember m = new SoloMember(launcher())) {
            m.start();
            m.awaitServing(START);
            m.put("owner", "first");
            Path out = Files.createTempFile("etcdj-intruder-", ".log");
            try {
                Process intruder = m.startIntruder(out);
                try {
                    assertThat(intruder.waitFor(START.toSeconds(), TimeUnit.SECONDS))
                            .as("the second process gives up: %s", SoloMember.tail(out, 20)).isTrue();
                    assertThat(intruder.exitValue()).isNotZero();
                } finally {
                    intruder.destroyForcibly();
                }
                assertThat(SoloMember.tail(out, 20)).as("the refusal").containsAnyOf("in use", "lock");
            } finally {
                Files.deleteIfExists(out);
            }
            assertThat(m.running()).isTrue();
            m.put("owner", "still-first");
            assertThat(m.get("owner")).isEqualTo("still-first");
        }
    }

    private static void writeKeys(SoloMember m, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            m.put(prefix + i, "v" + i);
        }
    }

    private static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static List<Path> segments(Path walDir) throws IOException {
        return files(walDir, ".wal");
    }

    private static Path segmentHolding(Path walDir, String text) throws IOException {
        for (Path p : segments(walDir)) {
            if (indexOf(p, text) >= 0) {
                return p;
            }
        }
        throw new AssertionError("no WAL segment in " + walDir + " holds " + text);
    }

    private static long indexOf(Path file, String text) throws IOException {
        byte[] data = Files.readAllBytes(file);
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + t.length <= data.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (data[i + j] != t[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The offset and length of the last frame of a segment (the wal module's framing: an 8-byte
     * little-endian header whose low 32 bits are the body length, the body padded to 8 bytes, an
     * 8-byte trailer), found by walking the frames up to the first zero header word.
     */
    private static long[] lastFrame(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long at = 0;
        long[] last = null;
        while (at + 8 <= data.length && b.getLong((int) at) != 0) {
            int length = b.getInt((int) at);
            long frame = 8 + ((length + 7L) & ~7L) + 8;
            last = new long[] {at, frame};
            at += frame;
        }
        if (last == null) {
            throw new AssertionError("no frame in the segment");
        }
        return last;
    }
}
