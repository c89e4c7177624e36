package io.etcdj.wal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.raft.pb.SnapshotMetadata;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Raft snapshot files in {@code <data-dir>/member/snap}, named {@code %016x-%016x.snap}
 * (term, index), as etcd's. File format (little-endian):
 * <pre>
 *   bytes 0..7    magic "etcdjsn1"
 *   bytes 8..15   N, the length of the payload
 *   N bytes       the raft Snapshot (metadata and data), protobuf-encoded
 *   4 bytes       CRC32C of the payload
 *   4 bytes       its bitwise complement
 * </pre>
 * A file is written to {@code <name>.tmp}, fsynced, renamed into place and the directory
 * fsynced, so a visible .snap file is always complete (loading deletes leftover .tmp files).
 * Loading takes the newest file (highest
 * term, then index) that verifies and whose metadata matches its name; a file that does not
 * verify is renamed to {@code <name>.broken} and the next older one is tried. After a save,
 * only the newest {@code maxSnapshots} .snap files are kept ({@code --max-snapshots}; 0 keeps
 * all). Other files in the directory (the backend "db", *.broken) are left alone.
 */
public final class SnapshotStore {
    public static final int DEFAULT_MAX_SNAPSHOTS = 5;

    private static final byte[] MAGIC = "etcdjsn1".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern NAME = Pattern.compile("([0-9a-f]{16})-([0-9a-f]{16})\\.snap");

    private final Path dir;
    private final int maxSnapshots;

    public SnapshotStore(Path dir, int maxSnapshots) {
        if (maxSnapshots < 0) {
            throw new IllegalArgumentException("maxSnapshots must be >= 0: " + maxSnapshots);
        }
        this.dir = dir;
        this.maxSnapshots = maxSnapshots;
    }

    /** The file name of a snapshot at (term, index). */
    public static String fileName(long term, long index) {
        return String.format("%016x-%016x.snap", term, index);
    }

    /**
     * Durably writes the snapshot (its metadata index must not be 0), then deletes the oldest
     * .snap files beyond maxSnapshots.
     *
     * @return the file written
     */
    public Path save(Snapshot snapshot) throws IOException {
        SnapshotMetadata md = snapshot.getMetadata();
        if (md.getIndex() == 0) {
            throw new IllegalArgumentException("snap: an empty snapshot (index 0) cannot be saved");
        }
        DataDir.createPrivateDirectories(dir);
        byte[] payload = snapshot.toByteArray();
        ByteBuffer file = ByteBuffer.allocate(16 + payload.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        file.put(MAGIC).putLong(payload.length).put(payload);
        int crc = crc32c(payload);
        file.putInt(crc).putInt(~crc).flip();
        Path target = dir.resolve(fileName(md.getTerm(), md.getIndex()));
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (file.hasRemaining()) {
                ch.write(file);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DirectorySync.fsync(dir);
        purge();
        return target;
    }

    /** The newest snapshot that verifies; broken newer files are renamed to *.broken. */
    public Optional<Snapshot> loadNewest() throws IOException {
        return loadNewestMatching(null);
    }

    /**
     * The newest snapshot that verifies and is one of {@code markers} (from
     * {@link Wal#validSnapshotMarkers}): the snapshot the WAL can be replayed from even if a
     * crash came between writing a snapshot file and its WAL marker.
     */
    public Optional<Snapshot> loadNewestAvailable(Collection<SnapshotMarker> markers)
            throws IOException {
        return loadNewestMatching(markers);
    }

    private Optional<Snapshot> loadNewestMatching(Collection<SnapshotMarker> markers)
            throws IOException {
        deleteTempFiles();
        for (Path f : snapshotFiles()) {
            long[] ti = parse(f.getFileName().toString());
            if (markers != null && !markers.contains(new SnapshotMarker(ti[1], ti[0]))) {
                continue;
            }
            Optional<Snapshot> s = read(f, ti[0], ti[1]);
            if (s.isPresent()) {
                return s;
            }
            Files.move(f, f.resolveSibling(f.getFileName() + ".broken"),
                    StandardCopyOption.REPLACE_EXISTING);
            DirectorySync.fsync(dir);
        }
        return Optional.empty();
    }

    /** Deletes *.snap.tmp files, left behind by a crash during {@link #save}. */
    private void deleteTempFiles() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> tmps = Files.newDirectoryStream(dir, "*.snap.tmp")) {
            for (Path t : tmps) {
                Files.deleteIfExists(t);
            }
        }
    }

    /** The .snap files, newest (highest term, then index) first. */
    public List<Path> snapshotFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, "*.snap")) {
            for (Path f : all) {
                if (parse(f.getFileName().toString()) != null) {
                    files.add(f);
                }
            }
        }
        files.sort(Comparator.comparing((Path f) -> f.getFileName().toString()).reversed());
        return files;
    }

    /** Deletes the oldest .snap files beyond maxSnapshots (none if maxSnapshots is 0). */
    public List<Path> purge() throws IOException {
        List<Path> deleted = new ArrayList<>();
        if (maxSnapshots == 0) {
            return deleted;
        }
        List<Path> files = snapshotFiles();
        for (int i = files.size() - 1; i >= maxSnapshots; i--) {
            Files.delete(files.get(i));
            deleted.add(files.get(i));
        }
        if (!deleted.isEmpty()) {
            DirectorySync.fsync(dir);
        }
        return deleted;
    }

    private static Optional<Snapshot> read(Path f, long term, long index) throws IOException {
        byte[] bytes = Files.readAllBytes(f);
        if (bytes.length < 24) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        long n = b.getLong();
        if (!Arrays.equals(magic, MAGIC) || n != bytes.length - 24L) {
            return Optional.empty();
        }
        byte[] payload = new byte[(int) n];
        b.get(payload);
        int crc = b.getInt();
        if (crc != crc32c(payload) || b.getInt() != ~crc) {
            return Optional.empty();
        }
        try {
            Snapshot s = Snapshot.parseFrom(payload);
            SnapshotMetadata md = s.getMetadata();
            if (md.getTerm() != term || md.getIndex() != index) {
                return Optional.empty();
            }
            return Optional.of(s);
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    /** {term, index} from a snapshot file name, or null if it is not one. */
    private static long[] parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return null;
        }
        return new long[] {Long.parseUnsignedLong(m.group(1), 16),
                Long.parseUnsignedLong(m.group(2), 16)};
    }

    private static int crc32c(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }
}
