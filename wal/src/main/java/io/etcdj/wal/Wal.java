package io.etcdj.wal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.HardState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The write-ahead log of one member: raft entries, hard states and snapshot markers appended to
 * segment files in a directory, in the format described in package-info.
 *
 * <p>Life cycle: {@link #create} a new WAL (ready to append), or {@link #open} an existing one
 * at a snapshot and call {@link #readAll()} once (which verifies everything, repairs a torn tail
 * and makes the WAL ready to append). Then {@link #save} batches, {@link #saveSnapshotMarker},
 * {@link #purge} and finally {@link #close()}.
 *
 * <p>Threading: a Wal is used by one thread (the server's raft loop); it is not thread-safe.
 * It owns one helper thread that preallocates the next segment in the background.
 *
 * <p>Invariants: everything {@link #save} or {@link #sync()} returned from with sync requested
 * is durable (fdatasync'ed); {@link #lastIndex()} is the index of the last entry appended (or
 * of a newer snapshot marker). After an {@link IOException} from a write the file state is
 * unknown, the Wal refuses further writes and the process should restart from disk (as etcd
 * does, by exiting). The caller holds the data-dir lock ({@link DataDir}); Wal does not lock.
 */
public final class Wal implements AutoCloseable {
    private final Path dir;
    private final WalOptions options;
    private final List<SegmentName> segments;
    private final SnapshotMarker from;

    private RecordEncoder encoder;
    private SegmentPreparer preparer;
    private FileChannel tail;
    private long offset;      // where the next frame goes in the tail segment
    private long headEnd;     // the end of the tail segment's head records
    private byte[] metadata;
    private HardState lastState = HardState.getDefaultInstance();
    private long lastIndex;
    private boolean writable;
    private boolean failed;
    private boolean closed;

    private Wal(Path dir, WalOptions options, List<SegmentName> segments, SnapshotMarker from) {
        this.dir = dir;
        this.options = options;
        this.segments = segments;
        this.from = from;
    }

    /** Whether the directory holds any WAL segment. */
    public static boolean exists(Path dir) throws IOException {
        return Files.isDirectory(dir) && !WalReplay.listSegments(dir).isEmpty();
    }

    /** {@link #create(Path, byte[], WalOptions)} with etcd's defaults. */
    public static Wal create(Path dir, byte[] metadata) throws IOException {
        return create(dir, metadata, WalOptions.DEFAULTS);
    }

    /**
     * Creates a new WAL in {@code dir} (created with mode 0700 if missing; it must hold no
     * segment yet) whose first segment records {@code metadata} and the zero snapshot marker.
     * The returned WAL is ready to append.
     */
    public static Wal create(Path dir, byte[] metadata, WalOptions options) throws IOException {
        Objects.requireNonNull(metadata, "metadata");
        DataDir.createPrivateDirectories(dir);
        if (!WalReplay.listSegments(dir).isEmpty()) {
            throw new IOException("wal: file already exists in " + dir);
        }
        deleteTempFiles(dir);
        Wal w = new Wal(dir, options, new ArrayList<>(), SnapshotMarker.ZERO);
        w.metadata = metadata.clone();
        w.encoder = new RecordEncoder(0);
        w.preparer = SegmentPreparer.start(dir, options.segmentBytes());
        try {
            w.startSegment(new SegmentName(0, 0));
        } catch (IOException | RuntimeException e) {
            w.preparer.close();
            throw e;
        }
        w.writable = true;
        return w;
    }

    /** {@link #open(Path, SnapshotMarker, WalOptions)} with etcd's defaults. */
    public static Wal open(Path dir, SnapshotMarker from) throws IOException {
        return open(dir, from, WalOptions.DEFAULTS);
    }

    /**
     * Opens the WAL in {@code dir} for replay from the snapshot {@code from}
     * ({@link SnapshotMarker#ZERO} if the member has no snapshot). Nothing is read until
     * {@link #readAll()}.
     */
    public static Wal open(Path dir, SnapshotMarker from, WalOptions options) throws IOException {
        List<SegmentName> names = WalReplay.listSegments(dir);
        if (names.isEmpty()) {
            throw new IOException("wal: file not found: no WAL segment in " + dir);
        }
        if (WalReplay.searchIndex(names, from.index()) < 0) {
            throw new IOException("wal: file not found: no segment in " + dir
                    + " starts at or before snapshot index " + from.index());
        }
        return new Wal(dir, options, new ArrayList<>(names), from);
    }

    /**
     * Replays the WAL from {@code from} without writing anything (for offline tools): the same
     * verification as {@link #readAll()}, except that a torn tail is only skipped, not zeroed
     * ({@link WalContents#repairedTail()} is then null).
     */
    public static WalContents read(Path dir, SnapshotMarker from) throws IOException {
        List<SegmentName> names = WalReplay.listSegments(dir);
        ReplayedLog log = new ReplayedLog(from);
        replayFrom(dir, names, from, log);
        return new WalContents(log.metadata(), log.hardState(), List.copyOf(log.entries()), null);
    }

    /** Replays names from the segment holding {@code from} into log; checks the marker. */
    private static WalReplay.End replayFrom(Path dir, List<SegmentName> names, SnapshotMarker from,
            ReplayedLog log) throws IOException {
        int start = WalReplay.searchIndex(names, from.index());
        if (start < 0) {
            throw new IOException("wal: file not found: no segment in " + dir
                    + " starts at or before snapshot index " + from.index());
        }
        WalReplay.End end = WalReplay.replay(dir, names, start, log);
        if (!log.fromFound()) {
            throw new IOException("wal: snapshot not found: no marker for " + from + " in " + dir);
        }
        if (log.metadata() == null) {
            throw new WalCorruptException(end.segment(), 0, "no metadata record");
        }
        return end;
    }

    /**
     * The snapshot markers in the WAL that replay could start from: those at or below the
     * newest hard state's commit index (as etcd's ValidSnapshotEntries). Reads every segment
     * without writing; a torn tail just ends the scan.
     */
    public static List<SnapshotMarker> validSnapshotMarkers(Path dir) throws IOException {
        List<SegmentName> names = WalReplay.listSegments(dir);
        List<SnapshotMarker> markers = new ArrayList<>();
        HardState[] state = {HardState.getDefaultInstance()};
        if (names.isEmpty()) {
            return markers;
        }
        WalReplay.replay(dir, names, 0, (r, segment) -> {
            try {
                if (r.type() == RecordType.SNAPSHOT && r.body().length == 16) {
                    ByteBuffer b = ByteBuffer.wrap(r.body()).order(ByteOrder.LITTLE_ENDIAN);
                    markers.add(new SnapshotMarker(b.getLong(), b.getLong()));
                } else if (r.type() == RecordType.STATE) {
                    state[0] = HardState.parseFrom(r.body());
                }
            } catch (InvalidProtocolBufferException e) {
                throw new WalCorruptException(segment, r.offset(), "undecodable STATE body");
            }
        });
        long commit = state[0].getCommit();
        markers.removeIf(m -> m.index() > commit);
        return markers;
    }

    /**
     * Reads and verifies the log from the snapshot given to {@link #open} to its end, repairs a
     * torn tail (zeroing it; the repair is reported in the result) and makes the WAL ready to
     * append after the last good record.
     *
     * @throws WalCorruptException a record fails to verify where a crash cannot explain it
     * @throws IOException also when the snapshot marker is missing ("wal: snapshot not found") or
     *     has another term ("wal: snapshot mismatch"), or the segments' metadata differ
     */
    public WalContents readAll() throws IOException {
        if (writable || encoder != null) {
            throw new IllegalStateException("readAll() is called once, after open()");
        }
        ReplayedLog log = new ReplayedLog(from);
        WalReplay.End end = replayFrom(dir, segments, from, log);
        deleteTempFiles(dir);
        tail = FileChannel.open(end.segment(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        WalContents.TailRepair repair;
        try {
            repair = TailZeroing.zeroAfter(tail, end.segment(), end.offset(), options.segmentBytes());
        } catch (IOException | RuntimeException e) {
            tail.close();
            throw e;
        }
        offset = end.offset();
        headEnd = Math.min(offset, WalFormat.frameLength(4) + WalFormat.frameLength(log.metadata().length));
        metadata = log.metadata();
        lastState = log.hardState();
        lastIndex = log.lastIndex();
        encoder = new RecordEncoder(end.lastCrc());
        preparer = SegmentPreparer.start(dir, options.segmentBytes());
        writable = true;
        return new WalContents(metadata.clone(), lastState, List.copyOf(log.entries()), repair);
    }

    /**
     * Appends one batch: the entries (contiguous; the first may be at or below
     * {@link #lastIndex()}, overwriting a conflicting tail) and then the hard state if it is not
     * empty. With {@code sync}, one fdatasync makes the whole batch durable before returning
     * (group commit); pass raft's Ready.mustSync. A batch with neither entries nor a non-empty
     * hard state writes nothing.
     */
    public void save(HardState hardState, List<Entry> entries, boolean sync) throws IOException {
        checkWritable();
        boolean withState = hardState != null && !isEmpty(hardState);
        if (!withState && entries.isEmpty()) {
            return;
        }
        long need = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (i > 0 && e.getIndex() != entries.get(i - 1).getIndex() + 1) {
                throw new IllegalArgumentException("entries are not contiguous: " + entries.get(i - 1)
                        .getIndex() + " then " + e.getIndex());
            }
            need += WalFormat.frameLength(e.getSerializedSize());
        }
        if (!entries.isEmpty() && entries.get(0).getIndex() > lastIndex + 1) {
            throw new IllegalArgumentException("entry " + entries.get(0).getIndex()
                    + " would leave a gap after the last index " + lastIndex);
        }
        if (withState) {
            need += WalFormat.frameLength(hardState.getSerializedSize());
        }
        cutIfFull(need, entries.isEmpty() ? lastIndex + 1 : entries.get(0).getIndex());
        encoder.clear();
        for (Entry e : entries) {
            encoder.append(RecordType.ENTRY, e);
        }
        if (withState) {
            encoder.append(RecordType.STATE, hardState);
        }
        write(sync);
        if (!entries.isEmpty()) {
            lastIndex = entries.get(entries.size() - 1).getIndex();
        }
        if (withState) {
            lastState = hardState;
        }
    }

    /**
     * Records that a snapshot at (index, term) exists, durably (fsync), so that replay can start
     * from it. Save the snapshot file first (etcd's order): a marker must never point to a
     * snapshot that might not exist.
     */
    public void saveSnapshotMarker(SnapshotMarker marker) throws IOException {
        checkWritable();
        cutIfFull(WalFormat.frameLength(16), lastIndex + 1);
        encoder.clear();
        encoder.appendSnapshotMarker(marker);
        write(true);
        lastIndex = Math.max(lastIndex, marker.index());
    }

    /** {@link #saveSnapshotMarker(SnapshotMarker)} of (index, term). */
    public void saveSnapshotMarker(long index, long term) throws IOException {
        saveSnapshotMarker(new SnapshotMarker(index, term));
    }

    /** Makes everything appended so far durable. */
    public void sync() throws IOException {
        checkWritable();
        try {
            tail.force(false);
        } catch (IOException e) {
            failed = true;
            throw e;
        }
    }

    /**
     * Deletes the oldest segments that replay from {@code snapshotIndex} no longer needs (those
     * before the last segment whose name index is at most snapshotIndex), but never fewer than
     * {@link WalOptions#maxWals()} segments remain, and none at all if maxWals is 0. Call it only
     * after the snapshot marker and the snapshot file are durable.
     *
     * @return the deleted files, oldest first
     */
    public List<Path> purge(long snapshotIndex) throws IOException {
        checkWritable();
        List<Path> deleted = new ArrayList<>();
        if (options.maxWals() == 0) {
            return deleted;
        }
        int needed = WalReplay.searchIndex(segments, snapshotIndex);
        int deletable = Math.min(needed, segments.size() - options.maxWals());
        for (int i = 0; i < deletable; i++) {
            Path p = segments.get(0).in(dir);
            Files.delete(p);
            segments.remove(0);
            deleted.add(p);
        }
        if (!deleted.isEmpty()) {
            DirectorySync.fsync(dir);
        }
        return deleted;
    }

    /** The index of the last entry appended (or of a newer snapshot marker). */
    public long lastIndex() {
        return lastIndex;
    }

    /** The WAL directory. */
    public Path dir() {
        return dir;
    }

    /** The segment files currently in the WAL, oldest first. */
    public List<Path> segmentFiles() {
        return segments.stream().map(s -> s.in(dir)).toList();
    }

    /** Syncs what was appended, releases the files and stops the preallocation thread. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (tail != null) {
                try {
                    if (!failed) {
                        tail.force(false);
                    }
                } finally {
                    tail.close();
                }
            }
        } finally {
            if (preparer != null) {
                preparer.close();
            }
        }
    }

    // ---- internals ----

    private void checkWritable() {
        if (closed) {
            throw new IllegalStateException("the WAL is closed");
        }
        if (!writable) {
            throw new IllegalStateException("call readAll() before writing to an opened WAL");
        }
        if (failed) {
            throw new IllegalStateException("an earlier write to the WAL failed; restart from disk");
        }
    }

    private void write(boolean sync) throws IOException {
        ByteBuffer frames = encoder.frames();
        try {
            long pos = offset;
            while (frames.hasRemaining()) {
                pos += tail.write(frames, pos);
            }
            if (sync) {
                tail.force(false);
            }
            offset = pos;
            if (offset > options.segmentBytes() / 2) {
                preparer.prepareNext();
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    /** Moves to a new segment if {@code need} more bytes do not fit and this one holds a batch. */
    private void cutIfFull(long need, long nextIndex) throws IOException {
        if (offset + need > options.segmentBytes() && offset > headEnd) {
            try {
                finishTail();
                startSegment(new SegmentName(segments.get(segments.size() - 1).seq() + 1, nextIndex));
            } catch (IOException | RuntimeException e) {
                failed = true;
                throw e;
            }
        }
    }

    /** Cuts the tail segment at its last record and makes that durable. */
    private void finishTail() throws IOException {
        tail.truncate(offset);
        tail.force(true);
        tail.close();
        tail = null;
    }

    /**
     * Takes a preallocated file, writes and fsyncs the head records (CRC, METADATA, then the
     * zero marker in the first segment or the newest hard state in later ones), renames it to
     * {@code name} and fsyncs the directory; it becomes the tail.
     */
    private void startSegment(SegmentName name) throws IOException {
        Path tmp = preparer.take();
        FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            encoder.clear();
            encoder.appendCrcRecord(encoder.lastCrc());
            encoder.append(RecordType.METADATA, metadata);
            if (name.seq() == 0) {
                encoder.appendSnapshotMarker(SnapshotMarker.ZERO);
            } else if (!isEmpty(lastState)) {
                encoder.append(RecordType.STATE, lastState);
            }
            ByteBuffer frames = encoder.frames();
            long pos = 0;
            while (frames.hasRemaining()) {
                pos += ch.write(frames, pos);
            }
            ch.force(false);
            Files.move(tmp, name.in(dir), StandardCopyOption.ATOMIC_MOVE);
            DirectorySync.fsync(dir);
            tail = ch;
            offset = pos;
            headEnd = pos;
            segments.add(name);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static boolean isEmpty(HardState s) {
        return s.getTerm() == 0 && s.getVote() == 0 && s.getCommit() == 0;
    }

    private static void deleteTempFiles(Path dir) throws IOException {
        try (DirectoryStream<Path> tmps = Files.newDirectoryStream(dir, "*.tmp")) {
            for (Path t : tmps) {
                Files.deleteIfExists(t);
            }
        }
    }
}
