package io.etcdj.wal.etcd;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import io.etcdj.wal.SnapshotMarker;
import io.etcdj.wal.WalCorruptException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the WAL that etcd (3.4, 3.5) writes, read-only. Its format, which ours deliberately does not share:
 * <pre>
 *   segment  = &lt;seq&gt;-&lt;first index&gt;.wal (16 hex digits each), preallocated (zeros after the last frame)
 *   frame    = length word (8 bytes, little-endian) + record + padding to a multiple of 8
 *              length word: low 56 bits the record's length; when the top bit is set, the low 3 bits of
 *              the top byte are the padding's length
 *   record   = walpb.Record {type = 1, crc = 2 (uint32), data = 3}
 *   types    = 1 metadata (etcdserverpb.Metadata {NodeID = 1, ClusterID = 2}), 2 entry (raftpb.Entry),
 *              3 state (raftpb.HardState), 4 crc (the chain's value so far, first in every segment),
 *              5 snapshot (walpb.Snapshot {index = 1, term = 2})
 *   crc      = CRC-32C of each non-crc record's data, chained from the previous record's
 * </pre>
 * A zero length word or the end of a file moves on to the next segment. Reading starts in the newest
 * segment whose first index is at most the snapshot's, and must meet that snapshot's marker. Entries
 * after the snapshot are collected, a later entry at an index replacing the earlier ones from there (a
 * new leader's log), the last HardState wins. A frame that ends early, or does not verify while one of
 * its 512-byte sectors is all zeros, is a torn write: at the end of the last segment it ends the log
 * (etcd truncates it); anywhere else, and any other frame that does not verify (a length over etcd's
 * 10 MiB limit too), is corruption, reported with the file and the frame's offset.
 */
public final class EtcdWal {
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.wal");
    private static final int METADATA = 1;
    private static final int ENTRY = 2;
    private static final int STATE = 3;
    private static final int CRC = 4;
    private static final int SNAPSHOT = 5;
    private static final int SECTOR = 512;
    /** etcd's limit on one record (wal: max entry size limit exceeded): a longer length word is damage. */
    private static final long MAX_RECORD = 10L << 20;

    /**
     * What the WAL holds from the snapshot on. {@code tornTail} names where a torn last frame was
     * dropped ("file at offset N"), when there was one.
     */
    public record Contents(long memberId, long clusterId, HardState hardState, List<Entry> entries,
                           List<SnapshotMarker> snapshotMarkers, Optional<String> tornTail) {}

    private EtcdWal() {}

    /** Whether {@code walDir} holds a segment whose first frame is etcd's (a crc record, type 4). */
    public static boolean looksLikeEtcdWal(Path walDir) throws IOException {
        List<Path> segments = segments(walDir);
        if (segments.isEmpty()) {
            return false;
        }
        byte[] head = new byte[64];
        try (var in = Files.newInputStream(segments.get(0))) {
            if (in.readNBytes(head, 0, head.length) < 16) {
                return false;
            }
        }
        long word = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        int len = (int) (word & 0x00FFFFFFFFFFFFFFL);
        if (len <= 0 || len > head.length - 8) {
            return false;
        }
        try {
            Record r = Record.parse(Arrays.copyOfRange(head, 8, 8 + len));
            return r.type == CRC;
        } catch (InvalidProtocolBufferException e) {
            return false;
        }
    }

    /** The segments of {@code walDir} in sequence order. */
    public static List<Path> segments(Path walDir) throws IOException {
        if (!Files.isDirectory(walDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(walDir)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted().toList();
        }
    }

    /** Reads the WAL of {@code walDir} from the snapshot {@code start} (ZERO for none). */
    public static Contents read(Path walDir, SnapshotMarker start) throws IOException {
        List<Path> all = segments(walDir);
        if (all.isEmpty()) {
            throw new IOException("no etcd WAL segment in " + walDir);
        }
        int first = -1;
        for (int i = 0; i < all.size(); i++) {
            if (Long.parseUnsignedLong(name(all.get(i)).group(2), 16) <= start.index()) {
                first = i;
            }
        }
        if (first < 0) {
            throw new IOException("etcd WAL in " + walDir + " has no segment holding the snapshot at index "
                    + start.index());
        }
        List<Path> files = all.subList(first, all.size());
        for (int i = 1; i < files.size(); i++) {
            long prev = Long.parseUnsignedLong(name(files.get(i - 1)).group(1), 16);
            if (Long.parseUnsignedLong(name(files.get(i)).group(1), 16) != prev + 1) {
                throw new IOException("etcd WAL segments out of sequence: " + files.get(i - 1).getFileName()
                        + " then " + files.get(i).getFileName());
            }
        }
        return new Reading(start).readAll(files);
    }

    private static Matcher name(Path p) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(p.toString());
        }
        return m;
    }

    /** The state of one pass over the segments. */
    private static final class Reading {
        private final SnapshotMarker start;
        private final List<Entry> entries = new ArrayList<>();
        private final List<SnapshotMarker> markers = new ArrayList<>();
        private HardState hardState = HardState.getDefaultInstance();
        private byte[] metadata;
        private boolean matched;
        private int crc;
        private String tornTail;

        Reading(SnapshotMarker start) {
            this.start = start;
        }

        Contents readAll(List<Path> files) throws IOException {
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                boolean last = i == files.size() - 1;
                byte[] bytes = Files.readAllBytes(f);
                readSegment(f, bytes, last);
                if (tornTail != null) {
                    break;
                }
            }
            if (!matched) {
                throw new IOException("etcd WAL has no record of the snapshot at index " + start.index()
                        + " term " + start.term() + " (wal: snapshot not found)");
            }
            if (metadata == null) {
                throw new IOException("etcd WAL holds no metadata record");
            }
            long[] ids = memberAndCluster(metadata);
            return new Contents(ids[0], ids[1], hardState, List.copyOf(entries), List.copyOf(markers),
                    Optional.ofNullable(tornTail));
        }

        private void readSegment(Path f, byte[] b, boolean last) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            int off = 0;
            while (off + 8 <= b.length) {
                long word = buf.getLong(off);
                if (word == 0) {
                    return; // preallocated space: the segment ends here
                }
                long len = word & 0x00FFFFFFFFFFFFFFL;
                int pad = word < 0 ? (int) ((word >>> 56) & 0x7) : 0;
                if (len > MAX_RECORD) {
                    throw new WalCorruptException(f, off, "record length " + len + " exceeds etcd's limit of "
                            + MAX_RECORD + " bytes");
                }
                int end = off + 8 + (int) len + pad;
                if (end > b.length) {
                    torn(f, off, last, b, off, b.length, "frame runs past the end of the file");
                    return;
                }
                Record r;
                try {
                    r = Record.parse(Arrays.copyOfRange(b, off + 8, off + 8 + (int) len));
                } catch (InvalidProtocolBufferException e) {
                    torn(f, off, last, b, off, end, "record does not decode: " + e.getMessage());
                    return;
                }
                if (r.type == CRC) {
                    if (crc != 0 && r.crc != crc) {
                        throw new WalCorruptException(f, off, "crc record " + Integer.toUnsignedString(r.crc)
                                + " breaks the chain at " + Integer.toUnsignedString(crc));
                    }
                    crc = r.crc;
                } else {
                    crc = GoCrc32c.update(crc, r.data);
                    if (r.crc != crc) {
                        torn(f, off, last, b, off, end, "crc mismatch");
                        return;
                    }
                    apply(f, off, r);
                }
                off = end;
            }
        }

        /**
         * A frame [from, to) that does not verify: torn when it runs past the end of the file or one of its
         * sectors is all zeros; a torn frame in the last segment ends the log, anything else is corruption.
         */
        private void torn(Path f, int off, boolean last, byte[] b, int from, int to, String what) throws IOException {
            boolean torn = to >= b.length || zeroSector(b, from, to);
            if (!torn || !last) {
                throw new WalCorruptException(f, off, what);
            }
            tornTail = f + " at offset " + off;
        }

        /** Whether a 512-byte-aligned piece of [from, to) is all zeros (etcd's sign of a torn write). */
        private static boolean zeroSector(byte[] b, int from, int to) {
            int chunkStart = from;
            while (chunkStart < to) {
                int chunkEnd = Math.min(to, (chunkStart / SECTOR + 1) * SECTOR);
                if (allZero(b, chunkStart, chunkEnd)) {
                    return true;
                }
                chunkStart = chunkEnd;
            }
            return false;
        }

        private static boolean allZero(byte[] b, int from, int to) {
            for (int i = from; i < Math.min(to, b.length); i++) {
                if (b[i] != 0) {
                    return false;
                }
            }
            return true;
        }

        private void apply(Path f, int off, Record r) throws IOException {
            switch (r.type) {
                case ENTRY -> {
                    Entry e = Entry.parseFrom(r.data);
                    if (e.getIndex() > start.index()) {
                        long keep = e.getIndex() - start.index() - 1;
                        if (keep > entries.size()) {
                            throw new WalCorruptException(f, off, "entry " + e.getIndex() + " follows entry "
                                    + (start.index() + entries.size()) + " (entries missing)");
                        }
                        entries.subList((int) keep, entries.size()).clear();
                        entries.add(e);
                    }
                }
                case STATE -> hardState = HardState.parseFrom(r.data);
                case METADATA -> {
                    if (metadata != null && !Arrays.equals(metadata, r.data)) {
                        throw new WalCorruptException(f, off, "metadata conflicts with the earlier one");
                    }
                    metadata = r.data;
                }
                case SNAPSHOT -> {
                    SnapshotMarker m = marker(r.data);
                    markers.add(m);
                    if (m.index() == start.index()) {
                        if (m.term() != start.term()) {
                            throw new WalCorruptException(f, off, "snapshot marker at index " + m.index() + " has term "
                                    + m.term() + ", the snapshot file " + start.term());
                        }
                        matched = true;
                    }
                }
                default -> throw new WalCorruptException(f, off, "unknown record type " + r.type);
            }
        }
    }

    private static SnapshotMarker marker(byte[] data) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(data);
        long index = 0;
        long term = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 8 -> index = in.readUInt64();
                case 16 -> term = in.readUInt64();
                default -> in.skipField(tag);
            }
        }
        return new SnapshotMarker(index, term);
    }

    private static long[] memberAndCluster(byte[] data) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(data);
        long[] ids = new long[2];
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 8 -> ids[0] = in.readUInt64();
                case 16 -> ids[1] = in.readUInt64();
                default -> in.skipField(tag);
            }
        }
        return ids;
    }

    /** walpb.Record. */
    private record Record(int type, int crc, byte[] data) {
        static Record parse(byte[] b) throws InvalidProtocolBufferException {
            try {
                CodedInputStream in = CodedInputStream.newInstance(b);
                int type = 0;
                int crc = 0;
                byte[] data = new byte[0];
                for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                    switch (tag) {
                        case 8 -> type = (int) in.readInt64();
                        case 16 -> crc = in.readUInt32();
                        case 26 -> data = in.readByteArray();
                        default -> in.skipField(tag);
                    }
                }
                return new Record(type, crc, data);
            } catch (InvalidProtocolBufferException e) {
                throw e;
            } catch (IOException e) {
                throw new InvalidProtocolBufferException(e);
            }
        }
    }
}
