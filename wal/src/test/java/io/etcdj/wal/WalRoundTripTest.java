package io.etcdj.wal;

import static io.etcdj.wal.TestLogs.entries;
import static io.etcdj.wal.TestLogs.entry;
import static io.etcdj.wal.TestLogs.metadata;
import static io.etcdj.wal.TestLogs.smallSegments;
import static io.etcdj.wal.TestLogs.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalRoundTripTest {
    @TempDir Path dir;

    @Test
    void manyBatchesReadBackIdenticallyAfterReopen() throws Exception {
        long seed = Long.getLong("wal.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        List<Entry> written = new ArrayList<>();
        HardState last = HardState.getDefaultInstance();
        try (Wal wal = Wal.create(dir, metadata(), smallSegments(64 * 1024))) {
            long next = 1;
            for (int batch = 0; batch < 300; batch++) {
                int n = random.nextInt(0, 20);
                List<Entry> es = entries(seed, next, next + n - 1, 3, 300);
                next += n;
                HardState hs = random.nextBoolean() ? state(3, 1, next - 1) : null;
                wal.save(hs, es, random.nextInt(4) != 0);
                written.addAll(es);
                if (hs != null) {
                    last = hs;
                }
            }
        }
        assertThat(segmentCount()).as("seed %d: several segments were cut", seed).isGreaterThan(3);

        try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO, smallSegments(64 * 1024))) {
            WalContents c = wal.readAll();
            assertThat(c.entries()).as("seed %d (replay with -Dwal.seed=%d)", seed, seed)
                    .isEqualTo(written);
            assertThat(c.hardState()).isEqualTo(last);
            assertThat(c.metadata()).isEqualTo(metadata());
            assertThat(c.repairedTail()).isNull();
            assertThat(wal.lastIndex()).isEqualTo(written.size());
        }
    }

    @Test
    void laterEntriesReplaceAConflictingTail() throws Exception {
        try (Wal wal = Wal.create(dir, metadata(), smallSegments(64 * 1024))) {
            wal.save(state(1, 1, 3), entries(1, 1, 10, 1, 50), true);
            // a new leader in term 2 overwrites the uncommitted 6..10 with a shorter log
            wal.save(state(2, 2, 3), entries(2, 6, 8, 2, 50), true);
            wal.save(null, entries(2, 9, 9, 2, 50), true);
            assertThat(wal.lastIndex()).isEqualTo(9);
        }
        try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO)) {
            WalContents c = wal.readAll();
            List<Entry> expected = new ArrayList<>(entries(1, 1, 5, 1, 50));
            expected.addAll(entries(2, 6, 9, 2, 50));
            assertThat(c.entries()).isEqualTo(expected);
            assertThat(c.hardState()).isEqualTo(state(2, 2, 3));
        }
    }

    @Test
    void aConflictingTailIsReplacedAcrossASegmentBoundary() throws Exception {
        WalOptions small = smallSegments(8 * 1024);
        try (Wal wal = Wal.create(dir, metadata(), small)) {
            for (long i = 1; i <= 120; i += 10) {
                wal.save(state(1, 1, 20), entries(1, i, i + 9, 1, 400), true);
            }
            assertThat(segmentCount()).isGreaterThan(2);
            wal.save(state(5, 5, 20), entries(5, 21, 25, 5, 400), true);
        }
        try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO, small)) {
            List<Entry> expected = new ArrayList<>(entries(1, 1, 20, 1, 400));
            expected.addAll(entries(5, 21, 25, 5, 400));
            assertThat(wal.readAll().entries()).isEqualTo(expected);
        }
    }

    @Test
    void segmentsAreCutBeforeABatchThatWouldNotFitAndNamedByItsFirstIndex() throws Exception {
        long segmentBytes = 16 * 1024;
        try (Wal wal = Wal.create(dir, metadata(), smallSegments(segmentBytes))) {
            for (long i = 1; i <= 400; i += 4) {
                wal.save(state(1, 1, i), fixedSize(i, i + 3, 200), true);
            }
        }
        List<Path> files = segmentFiles();
        assertThat(files.size()).isGreaterThan(4);
        for (int i = 0; i < files.size(); i++) {
            SegmentName name = SegmentName.parse(files.get(i).getFileName().toString()).orElseThrow();
            assertThat(name.seq()).isEqualTo(i);
            if (i == 0) {
                assertThat(name.index()).isZero();
            } else {
                assertThat((name.index() - 1) % 4).as("cut only between batches").isZero();
            }
            long size = Files.size(files.get(i));
            if (i < files.size() - 1) {
                assertThat(size).as("a finished segment ends at its last record").isLessThanOrEqualTo(
                        segmentBytes).isGreaterThan(segmentBytes - 4 * 232 - 64);
            } else {
                assertThat(size).as("the tail stays preallocated").isEqualTo(segmentBytes);
            }
        }
        try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO, smallSegments(segmentBytes))) {
            assertThat(wal.readAll().entries()).isEqualTo(fixedSize(1, 400, 200));
        }
    }

    @Test
    void theNextSegmentIsPreparedInTheBackgroundOnceTheTailIsHalfFull() throws Exception {
        long segmentBytes = 64 * 1024;
        try (Wal wal = Wal.create(dir, metadata(), smallSegments(segmentBytes))) {
            assertThat(tempFiles()).as("nothing is prepared for an empty segment").isEmpty();
            long i = 1;
            while (i * 232 < segmentBytes * 0.6) { // 10 entries of 232-byte frames per batch
                wal.save(state(1, 1, i), fixedSize(i, i + 9, 200), true);
                i += 10;
            }
            assertThat(segmentCount()).isEqualTo(1);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (tempFiles().isEmpty() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(tempFiles()).as("a preallocated file waits for the cut").hasSize(1);
            for (; i < 400; i += 10) {
                wal.save(state(1, 1, i), fixedSize(i, i + 9, 200), true);
            }
            assertThat(segmentCount()).isGreaterThan(1);
        }
        assertThat(tempFiles()).as("close deletes the file nobody took").isEmpty();
    }

    @Test
    void aBatchLargerThanASegmentGrowsTheFile() throws Exception {
        WalOptions small = smallSegments(8 * 1024);
        try (Wal wal = Wal.create(dir, metadata(), small)) {
            wal.save(state(1, 1, 1), fixedSize(1, 100, 200), true);
            wal.save(state(1, 1, 2), fixedSize(101, 102, 200), true);
        }
        assertThat(segmentCount()).isEqualTo(2);
        assertThat(Files.size(segmentFiles().get(0))).isGreaterThan(8 * 1024);
        try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO, small)) {
            assertThat(wal.readAll().entries()).isEqualTo(fixedSize(1, 102, 200));
        }
    }

    @Test
    void replayStartsAtTheSnapshotMarker() throws Exception {
        WalOptions small = smallSegments(8 * 1024);
        try (Wal wal = Wal.create(dir, metadata(), small)) {
            for (long i = 1; i <= 100; i += 5) {
                wal.save(state(2, 1, i + 4), entries(7, i, i + 4, 2, 300), true);
                if (i == 51) {
                    wal.saveSnapshotMarker(new SnapshotMarker(50, 2));
                }
            }
        }
        try (Wal wal = Wal.open(dir, new SnapshotMarker(50, 2), small)) {
            WalContents c = wal.readAll();
            assertThat(c.entries()).isEqualTo(entries(7, 51, 100, 2, 300));
            assertThat(c.hardState()).isEqualTo(state(2, 1, 100));
        }
        assertThatThrownBy(() -> Wal.open(dir, new SnapshotMarker(40, 2), small).readAll())
                .hasMessageContaining("wal: snapshot not found");
        assertThatThrownBy(() -> Wal.open(dir, new SnapshotMarker(50, 3), small).readAll())
                .hasMessageContaining("wal: snapshot mismatch");
        assertThat(Wal.validSnapshotMarkers(dir))
                .containsExactly(SnapshotMarker.ZERO, new SnapshotMarker(50, 2));
    }

    @Test
    void snapshotMarkersBeyondTheCommitIndexAreNotValid() throws Exception {
        try (Wal wal = Wal.create(dir, metadata())) {
            wal.save(state(1, 1, 10), entries(1, 1, 20, 1, 10), true);
            wal.saveSnapshotMarker(new SnapshotMarker(10, 1));
            wal.saveSnapshotMarker(new SnapshotMarker(15, 1)); // its commit never reached the WAL
        }
        assertThat(Wal.validSnapshotMarkers(dir))
                .containsExactly(SnapshotMarker.ZERO, new SnapshotMarker(10, 1));
    }

    @Test
    void purgeDeletesSegmentsBeforeTheSnapshotButKeepsMaxWals() throws Exception {
        WalOptions small = smallSegments(8 * 1024).withMaxWals(3);
        try (Wal wal = Wal.create(dir, metadata(), small)) {
            for (long i = 1; i <= 300; i += 5) {
                wal.save(state(1, 1, i + 4), entries(3, i, i + 4, 1, 300), true);
            }
            int before = segmentCount();
            assertThat(before).isGreaterThan(6);

            assertThat(wal.purge(0)).as("nothing is before a snapshot at 0").isEmpty();

            wal.saveSnapshotMarker(new SnapshotMarker(300, 1));
            List<Path> deleted = wal.purge(300);
            assertThat(deleted).hasSize(before - 3);
            assertThat(segmentCount()).isEqualTo(3);
            assertThat(wal.segmentFiles()).isEqualTo(segmentFiles());
            wal.save(state(1, 1, 301), entries(3, 301, 301, 1, 300), true);
        }
        try (Wal wal = Wal.open(dir, new SnapshotMarker(300, 1), small)) {
            assertThat(wal.readAll().entries()).isEqualTo(entries(3, 301, 301, 1, 300));
        }
    }

    @Test
    void purgeNeverDeletesTheSegmentThatReplayStartsFrom() throws Exception {
        WalOptions small = smallSegments(8 * 1024).withMaxWals(1);
        try (Wal wal = Wal.create(dir, metadata(), small)) {
            for (long i = 1; i <= 300; i += 5) {
                wal.save(state(1, 1, i + 4), entries(3, i, i + 4, 1, 300), true);
            }
            wal.saveSnapshotMarker(new SnapshotMarker(150, 1));
            wal.purge(150);
        }
        try (Wal wal = Wal.open(dir, new SnapshotMarker(150, 1), small)) {
            assertThat(wal.readAll().entries()).isEqualTo(entries(3, 151, 300, 1, 300));
        }
    }

    @Test
    void maxWalsZeroKeepsEverySegment() throws Exception {
        WalOptions small = smallSegments(8 * 1024).withMaxWals(0);
        try (Wal wal = Wal.create(dir, metadata(), small)) {
            for (long i = 1; i <= 100; i += 5) {
                wal.save(state(1, 1, i + 4), entries(3, i, i + 4, 1, 300), true);
            }
            wal.saveSnapshotMarker(new SnapshotMarker(100, 1));
            int before = segmentCount();
            assertThat(wal.purge(100)).isEmpty();
            assertThat(segmentCount()).isEqualTo(before);
        }
    }

    @Test
    void aHardStateAloneIsSavedAndAnEmptyBatchWritesNothing() throws Exception {
        try (Wal wal = Wal.create(dir, metadata(), smallSegments(64 * 1024))) {
            wal.save(state(4, 2, 0), List.of(), true);
            wal.save(HardState.getDefaultInstance(), List.of(), true);
        }
        try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO)) {
            WalContents c = wal.readAll();
            assertThat(c.hardState()).isEqualTo(state(4, 2, 0));
            assertThat(c.entries()).isEmpty();
        }
    }

    @Test
    void appendingContinuesAfterReopen() throws Exception {
        WalOptions small = smallSegments(8 * 1024);
        try (Wal wal = Wal.create(dir, metadata(), small)) {
            wal.save(state(1, 1, 10), entries(1, 1, 10, 1, 300), true);
        }
        for (int round = 0; round < 5; round++) {
            try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO, small)) {
                long last = wal.readAll().entries().size();
                wal.save(state(1, 1, last + 10), entries(1, last + 1, last + 10, 1, 300), true);
            }
        }
        try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO, small)) {
            assertThat(wal.readAll().entries()).isEqualTo(entries(1, 1, 60, 1, 300));
        }
    }

    @Test
    void misuseIsRefused() throws Exception {
        try (Wal wal = Wal.create(dir, metadata())) {
            assertThatThrownBy(() -> wal.save(null, entries(1, 3, 3, 1, 1), true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gap");
            assertThatThrownBy(() -> wal.save(null,
                    List.of(entry(1, 1, ByteString.EMPTY), entry(3, 1, ByteString.EMPTY)), true))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contiguous");
        }
        assertThatThrownBy(() -> Wal.create(dir, metadata()))
                .hasMessageContaining("wal: file already exists");
        try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO)) {
            assertThatThrownBy(() -> wal.save(state(1, 1, 1), List.of(), true))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("readAll");
        }
    }

    private static List<Entry> fixedSize(long from, long to, int bytes) {
        List<Entry> out = new ArrayList<>();
        for (long i = from; i <= to; i++) {
            byte[] b = new byte[bytes];
            Arrays.fill(b, (byte) i);
            out.add(entry(i, 1, ByteString.copyFrom(b)));
        }
        return out;
    }

    private List<Path> segmentFiles() throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }

    private List<Path> tempFiles() throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".tmp")).toList();
        }
    }

    private int segmentCount() throws Exception {
        return segmentFiles().size();
    }
}
