package io.etcdj.wal.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import io.etcdj.wal.SnapshotMarker;
import io.etcdj.wal.WalCorruptException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * etcd's WAL as etcd writes it, built here frame by frame (the real thing is read in the server's
 * EtcdDataDirImportIT): a segment holding the crc record, the metadata, the zero snapshot marker, and
 * entries 1-3 of term 1 each followed by a HardState, then entry 3 again at term 2 (a new leader's), then
 * preallocated zeros. Then the same segment torn or damaged.
 */
class EtcdWalTest {
    private static final String SEGMENT = "0000000000000000-0000000000000000.wal";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int crc;
    private int lastFrameOffset;

    @Test
    void readsIdsTheLastHardStateAndEntriesALaterEntryReplacingTheOldOnesFromItsIndex() throws Exception {
        sample();
        EtcdWal.Contents c = EtcdWal.read(write(4096), SnapshotMarker.ZERO);
        assertThat(c.memberId()).isEqualTo(0x61870d948f4ccbbaL);
        assertThat(c.clusterId()).isEqualTo(0xe38c6f2e3d413be7L);
        assertThat(c.entries()).extracting(Entry::getIndex, Entry::getTerm)
                .containsExactly(tuple(1L, 1L), tuple(2L, 1L), tuple(3L, 2L));
        assertThat(c.hardState().getCommit()).isEqualTo(3);
        assertThat(c.tornTail()).isEmpty();
        assertThat(EtcdWal.looksLikeEtcdWal(dir)).isTrue();
    }

    @Test
    void aLastFrameCutShortIsATornTailAndEndsTheLog() throws Exception {
        sample();
        Path wal = write(0);
        byte[] b = Files.readAllBytes(wal.resolve(SEGMENT));
        Files.write(wal.resolve(SEGMENT), Arrays.copyOf(b, lastFrameOffset + 10));
        EtcdWal.Contents c = EtcdWal.read(wal, SnapshotMarker.ZERO);
        assertThat(c.tornTail()).contains(wal.resolve(SEGMENT) + " at offset " + lastFrameOffset);
        assertThat(c.entries()).extracting(Entry::getTerm).containsExactly(1L, 1L, 2L);
        assertThat(c.hardState().getCommit()).isEqualTo(2); // the last state record was the torn one
    }

    @Test
    void aFlippedByteInTheMiddleIsCorruptionNamingTheFileAndOffset() throws Exception {
        sample();
        Path wal = write(4096);
        byte[] b = Files.readAllBytes(wal.resolve(SEGMENT));
        int frame = frameOffsets(b)[5];
        b[frame + 12] ^= 0x40;
        Files.write(wal.resolve(SEGMENT), b);
        assertThatThrownBy(() -> EtcdWal.read(wal, SnapshotMarker.ZERO))
                .isInstanceOf(WalCorruptException.class)
                .hasMessageContaining("corrupt record in " + wal.resolve(SEGMENT) + " at byte offset " + frame);
    }

    @Test
    void aLengthWordBeyondEtcdsLimitIsCorruptionEvenAtTheEnd() throws Exception {
        sample();
        Path wal = write(4096);
        byte[] b = Files.readAllBytes(wal.resolve(SEGMENT));
        b[lastFrameOffset + 4] ^= 0x01; // the length's bit 32
        Files.write(wal.resolve(SEGMENT), b);
        assertThatThrownBy(() -> EtcdWal.read(wal, SnapshotMarker.ZERO))
                .isInstanceOf(WalCorruptException.class)
                .hasMessageContaining("at byte offset " + lastFrameOffset + ": record length");
    }

    @Test
    void aSnapshotTheWalHasNoMarkerForIsRefused() throws Exception {
        sample();
        Path wal = write(4096);
        assertThatThrownBy(() -> EtcdWal.read(wal, new SnapshotMarker(2, 1)))
                .hasMessageContaining("no record of the snapshot at index 2");
    }

    private void sample() throws IOException {
        frame(4, new byte[0]); // crc record with crc 0: the chain starts
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        CodedOutputStream m = CodedOutputStream.newInstance(meta);
        m.writeUInt64(1, 0x61870d948f4ccbbaL);
        m.writeUInt64(2, 0xe38c6f2e3d413be7L);
        m.flush();
        frame(1, meta.toByteArray());
        frame(5, new byte[] {8, 0, 16, 0});
        for (long i = 1; i <= 3; i++) {
            frame(2, entry(i, 1));
            frame(3, HardState.newBuilder().setTerm(1).setCommit(i - 1).build().toByteArray());
        }
        frame(2, entry(3, 2));
        frame(3, HardState.newBuilder().setTerm(2).setCommit(3).build().toByteArray());
    }

    private static byte[] entry(long index, long term) {
        return Entry.newBuilder().setIndex(index).setTerm(term).setData(ByteString.copyFromUtf8("data " + index)).build()
                .toByteArray();
    }

    /** One frame: the length word (padding in the top byte), walpb.Record {type, crc, data}, zero padding. */
    private void frame(int type, byte[] data) throws IOException {
        if (type != 4) {
            crc = GoCrc32c.update(crc, data);
        }
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        CodedOutputStream r = CodedOutputStream.newInstance(rec);
        r.writeInt64(1, type);
        r.writeUInt32(2, crc);
        if (data.length > 0) {
            r.writeByteArray(3, data);
        }
        r.flush();
        byte[] record = rec.toByteArray();
        int pad = (8 - record.length % 8) % 8;
        long word = record.length | (pad > 0 ? (0x80L | pad) << 56 : 0);
        lastFrameOffset = out.size();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(word).array());
        out.write(record);
        out.write(new byte[pad]);
    }

    private Path write(int preallocatedZeros) throws IOException {
        byte[] b = Arrays.copyOf(out.toByteArray(), out.size() + preallocatedZeros);
        Files.write(dir.resolve(SEGMENT), b);
        return dir;
    }

    private static int[] frameOffsets(byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int[] offsets = new int[64];
        int n = 0;
        for (int off = 0; off + 8 <= b.length && buf.getLong(off) != 0; n++) {
            long word = buf.getLong(off);
            offsets[n] = off;
            off += 8 + (int) (word & 0x00FFFFFFFFFFFFFFL) + (word < 0 ? (int) ((word >>> 56) & 7) : 0);
        }
        return Arrays.copyOf(offsets, n);
    }
}
