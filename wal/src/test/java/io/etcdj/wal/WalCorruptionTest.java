package io.etcdj.wal;

import static io.etcdj.wal.TestLogs.entries;
import static io.etcdj.wal.TestLogs.metadata;
import static io.etcdj.wal.TestLogs.smallSegments;
import static io.etcdj.wal.TestLogs.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.Entry;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damage to the WAL: a flipped bit anywhere but in the last record is refused with the file and
 * offset; a tail torn by a crash (cut short, zeroed, a lost sector) is repaired to the last good
 * record and appending continues.
 */
class WalCorruptionTest {
    private static final WalOptions SMALL = smallSegments(8 * 1024);
    private static final long SEED = 20261121L;

    @TempDir Path tmp;
    Path original;
    List<Entry> allButLast;
    Entry last;

    /** Four segments of batches; the very last record is one entry (index 80) of 3000 bytes. */
    @BeforeEach
    void writeLog() throws IOException {
        writeLog(3000);
    }

    private void writeLog(int lastEntryBytes) throws IOException {
        original = tmp.resolve("original-" + lastEntryBytes);
        last = TestLogs.entry(80, 2, fullPayload(lastEntryBytes));
        try (Wal wal = Wal.create(original, metadata(), SMALL)) {
            for (long i = 1; i < 78; i += 7) {
                wal.save(state(2, 1, i), entries(SEED, i, i + 6, 2, 700), true);
            }
            wal.save(state(2, 1, 79), entries(SEED, 78, 79, 2, 700), true);
            wal.save(null, List.of(last), true);
        }
        allButLast = entries(SEED, 1, 79, 2, 700);
        assertThat(Frames.segments(original)).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aFlippedBitInAnyRecordButTheLastIsRefusedNamingFileAndOffset() throws IOException {
        long seed = Long.getLong("wal.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = copy("flip");
        List<Path> segments = Frames.segments(dir);
        int trials = 0;
        for (int s = 0; s < segments.size(); s++) {
            Path seg = segments.get(s);
            List<Frames.Frame> frames = Frames.of(seg);
            boolean lastSegment = s == segments.size() - 1;
            for (int f = 0; f < frames.size() - (lastSegment ? 1 : 0); f++) {
                Frames.Frame frame = frames.get(f);
                // random bits of the header word, the body and padding, and the trailer word
                List<Long> bits = new ArrayList<>();
                for (int k = 0; k < 8; k++) {
                    bits.add(frame.offset() * 8 + random.nextInt(64));
                    bits.add((frame.end() - 8) * 8 + random.nextInt(64));
                    bits.add(random.nextLong(frame.offset() * 8 + 64, (frame.end() - 8) * 8));
                }
                for (long bit : bits) {
                    trials++;
                    Frames.flipBit(seg, bit);
                    try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO, SMALL)) {
                        wal.readAll();
                        fail("seed %d (replay with -Dwal.seed=%d): flipping bit %d of %s (frame at %d) was"
                                + " not detected", seed, seed, bit, seg.getFileName(), frame.offset());
                    } catch (IOException e) {
                        String why = String.format("seed %d (replay with -Dwal.seed=%d), bit %d of %s",
                                seed, seed, bit, seg.getFileName());
                        assertThat(e).as(why).isInstanceOf(WalCorruptException.class);
                        assertThat(((WalCorruptException) e).file()).as(why).isEqualTo(seg);
                        assertThat(((WalCorruptException) e).offset()).as(why).isEqualTo(frame.offset());
                        assertThat(e.getMessage()).as(why).contains(seg.toString())
                                .contains("byte offset " + frame.offset());
                    }
                    Frames.flipBit(seg, bit);
                }
            }
        }
        assertThat(trials).isGreaterThan(1000);
        System.out.printf("flipped %d bits one at a time, seed %d%n", trials, seed);
    }

    @Test
    void aTailCutShortAtEveryByteOfTheLastRecordIsRepaired() throws IOException {
        writeLog(300);
        Frames.Frame lastFrame = lastFrame(lastSegment(original));
        for (long cut = lastFrame.offset(); cut < lastFrame.end(); cut++) {
            Path dir = copy("cut");
            Frames.truncate(lastSegment(dir), cut);
            if ((cut - lastFrame.offset()) % 16 == 0) {
                assertRepairedToAllButLastAndAppendable(dir, "cut at " + cut);
            } else { // the same verdict without the cost of repairing: read as a tool would
                assertThat(Wal.read(dir, SnapshotMarker.ZERO).entries()).as("cut at " + cut)
                        .isEqualTo(allButLast);
            }
        }
    }

    @Test
    void aTailZeroedFromWordsOfTheLastRecordIsRepaired() throws IOException {
        Frames.Frame lastFrame = lastFrame(lastSegment(original));
        for (long from = lastFrame.offset(); from < lastFrame.end(); from += 64) {
            Path dir = copy("zeroed");
            Frames.zero(lastSegment(dir), from, lastFrame.end());
            assertRepairedToAllButLastAndAppendable(dir, "zeroed from " + from);
        }
    }

    @Test
    void aLostSectorInsideTheLastRecordIsATornWrite() throws IOException {
        Frames.Frame lastFrame = lastFrame(lastSegment(original));
        long firstSector = (lastFrame.offset() + 8 + 511) & -512;
        int tried = 0;
        for (long s = firstSector; s + 512 <= lastFrame.end() - 8; s += 512) {
            Path dir = copy("sector");
            Frames.zero(lastSegment(dir), s, s + 512);
            assertRepairedToAllButLastAndAppendable(dir, "lost sector at " + s);
            tried++;
        }
        assertThat(tried).isGreaterThanOrEqualTo(4);
    }

    @Test
    void garbageAfterTheEndOfTheLogIsZeroedSoLaterAppendsStayReadable() throws IOException {
        // a crash can persist a later page of an unsynced batch while an earlier one is lost
        Path dir = copy("garbage");
        Path tail = lastSegment(dir);
        Frames.Frame lastFrame = lastFrame(tail);
        Frames.zero(tail, lastFrame.offset(), lastFrame.offset() + 8);
        try (var f = new RandomAccessFile(tail.toFile(), "rw")) {
            f.seek(lastFrame.end() + 4096);
            f.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        }
        try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO, SMALL)) {
            WalContents c = wal.readAll();
            assertThat(c.entries()).isEqualTo(allButLast);
            assertThat(c.repairedTail()).isNotNull();
            assertThat(c.repairedTail().offset()).isEqualTo(lastFrame.offset());
            assertThat(c.repairedTail().zeroedBytes()).isEqualTo(lastFrame.end() + 4096 + 8
                    - lastFrame.offset());
        }
        assertThat(TailZeroing.lastNonZeroEnd(FileChannel.open(tail),
                lastFrame.offset(), Files.size(tail))).isEqualTo(lastFrame.offset());
    }

    @Test
    void aCrashInTheMiddleOfACutLeavesAReadableWal() throws IOException {
        // the tail was cut at its last record, the next segment was still a temporary file
        Path dir = copy("midcut");
        Path tail = lastSegment(dir);
        Frames.truncate(tail, lastFrame(tail).end());
        Files.write(dir.resolve("prealloc-7.tmp"), new byte[8192]);
        try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO, SMALL)) {
            WalContents c = wal.readAll();
            assertThat(c.entries()).hasSize(80).endsWith(last);
            assertThat(c.repairedTail()).isNull();
            assertThat(Files.size(tail)).as("preallocated again").isEqualTo(8192);
            assertThat(dir.resolve("prealloc-7.tmp")).doesNotExist();
            wal.save(state(2, 1, 81), entries(SEED, 81, 81, 2, 700), true);
        }
        try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO, SMALL)) {
            assertThat(wal.readAll().entries()).hasSize(81);
        }
    }

    @Test
    void readingForAToolSkipsATornTailWithoutWriting() throws IOException {
        Path dir = copy("readonly");
        Path tail = lastSegment(dir);
        Frames.Frame lastFrame = lastFrame(tail);
        Frames.truncate(tail, lastFrame.end() - 100);
        byte[] before = Files.readAllBytes(tail);
        WalContents c = Wal.read(dir, SnapshotMarker.ZERO);
        assertThat(c.entries()).isEqualTo(allButLast);
        assertThat(Files.readAllBytes(tail)).isEqualTo(before);
    }

    @Test
    void segmentsWithDifferentMetadataAreRefused() throws IOException {
        // two segments with a valid crc chain whose METADATA records differ
        Path dir = tmp.resolve("metadata");
        Files.createDirectories(dir);
        RecordEncoder enc = new RecordEncoder(0);
        enc.appendCrcRecord(0);
        enc.append(RecordType.METADATA, new byte[] {1});
        enc.appendSnapshotMarker(SnapshotMarker.ZERO);
        writeFrames(dir.resolve(new SegmentName(0, 0).fileName()), enc);
        enc.clear();
        enc.appendCrcRecord(enc.lastCrc());
        enc.append(RecordType.METADATA, new byte[] {2});
        Path second = dir.resolve(new SegmentName(1, 1).fileName());
        writeFrames(second, enc);
        assertThatThrownBy(() -> Wal.read(dir, SnapshotMarker.ZERO))
                .hasMessageContaining("wal: conflicting metadata found in " + second);
    }

    private static void writeFrames(Path file, RecordEncoder enc) throws IOException {
        try (var ch = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.WRITE)) {
            ch.write(enc.frames());
        }
    }

    @Test
    void aNonLastSegmentCutShortIsRefused() throws IOException {
        Path dir = copy("short");
        Path first = Frames.segments(dir).get(0);
        Frames.truncate(first, Files.size(first) - 5);
        assertThatThrownBy(() -> Wal.open(dir, SnapshotMarker.ZERO, SMALL).readAll())
                .isInstanceOf(WalCorruptException.class)
                .hasMessageContaining(first.toString())
                .hasMessageContaining("not the last");
    }

    @Test
    void aMissingSegmentIsRefused() throws IOException {
        Path dir = copy("missing");
        Files.delete(Frames.segments(dir).get(1));
        assertThatThrownBy(() -> Wal.open(dir, SnapshotMarker.ZERO, SMALL))
                .hasMessageContaining("not continuous");
    }

    @Test
    void aSegmentReplacedByAnotherWalsSegmentBreaksTheCrcChain() throws IOException {
        Path other = tmp.resolve("other");
        try (Wal wal = Wal.create(other, metadata(), SMALL)) {
            for (long i = 1; i < 78; i += 7) {
                wal.save(state(2, 1, i), entries(SEED + 1, i, i + 6, 2, 700), true);
            }
        }
        Path dir = copy("spliced");
        Path second = Frames.segments(dir).get(1);
        Files.copy(Frames.segments(other).get(1), second,
                StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> Wal.open(dir, SnapshotMarker.ZERO, SMALL).readAll())
                .isInstanceOf(WalCorruptException.class)
                .hasMessageContaining(second.toString());
    }

    @Test
    void aFlippedBitInTheLastRecordIsRefusedToo() throws IOException {
        Path dir = copy("lastflip");
        Frames.Frame lastFrame = lastFrame(lastSegment(dir));
        Frames.flipBit(lastSegment(dir), (lastFrame.offset() + 100) * 8 + 3);
        assertThatThrownBy(() -> Wal.open(dir, SnapshotMarker.ZERO, SMALL).readAll())
                .isInstanceOf(WalCorruptException.class)
                .hasMessageContaining("byte offset " + lastFrame.offset());
    }

    private void assertRepairedToAllButLastAndAppendable(Path dir, String what) throws IOException {
        try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO, SMALL)) {
            WalContents c = wal.readAll();
            assertThat(c.entries()).as(what).isEqualTo(allButLast);
            assertThat(c.hardState()).as(what).isEqualTo(state(2, 1, 79));
            wal.save(state(2, 1, 80), List.of(last), true);
        }
        try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO, SMALL)) {
            WalContents c = wal.readAll();
            assertThat(c.entries()).as(what).hasSize(80).endsWith(last);
            assertThat(c.repairedTail()).as(what).isNull();
        }
    }

    private Path copy(String name) throws IOException {
        Path dir = tmp.resolve(name);
        if (Files.exists(dir)) {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    Files.delete(p);
                }
            }
        }
        Frames.copyDir(original, dir);
        return dir;
    }

    private static Path lastSegment(Path dir) throws IOException {
        List<Path> s = Frames.segments(dir);
        return s.get(s.size() - 1);
    }

    private static Frames.Frame lastFrame(Path segment) throws IOException {
        List<Frames.Frame> f = Frames.of(segment);
        return f.get(f.size() - 1);
    }

    private static ByteString fullPayload(int n) {
        byte[] b = new byte[n];
        new SplittableRandom(SEED).nextBytes(b);
        for (int i = 0; i < n; i++) {
            b[i] |= 1; // no zero byte, so a zero sector can only come from a lost write
        }
        return ByteString.copyFrom(b);
    }
}
