package io.etcdj.server.snapshot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A backend checkpoint directory seen as one {@link SnapshotFormat} body (magic, records, end,
 * padding — without the SHA-256 trailer, which the sender computes while streaming). The directory
 * belongs to this object: {@link #close()} deletes it.
 */
public final class PackedSnapshot implements AutoCloseable {
    private final Path dir;
    private final List<Path> files;
    private final long size;

    private PackedSnapshot(Path dir, List<Path> files, long size) {
        this.dir = dir;
        this.files = files;
        this.size = size;
    }

    /** Packs the regular files of {@code checkpointDir} in name order (RocksDB checkpoints are flat). */
    public static PackedSnapshot of(Path checkpointDir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(checkpointDir)) {
            files = s.filter(Files::isRegularFile).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        long size = SnapshotFormat.MAGIC.length + 4;
        for (Path f : files) {
            size += recordHeader(f, Files.size(f)).length + Files.size(f);
        }
        size += SnapshotFormat.padding(size);
        return new PackedSnapshot(checkpointDir, files, size);
    }

    /** The body's size in bytes: a multiple of {@link SnapshotFormat#ALIGNMENT}. */
    public long size() {
        return size;
    }

    /** The body's bytes, read lazily from the checkpoint files. */
    public InputStream open() throws IOException {
        List<InputStream> parts = new ArrayList<>();
        parts.add(new ByteArrayInputStream(SnapshotFormat.MAGIC));
        long written = SnapshotFormat.MAGIC.length;
        for (Path f : files) {
            long length = Files.size(f);
            byte[] header = recordHeader(f, length);
            parts.add(new ByteArrayInputStream(header));
            parts.add(new BoundedFileStream(f, length));
            written += header.length + length;
        }
        written += 4;
        parts.add(new ByteArrayInputStream(new byte[4 + SnapshotFormat.padding(written)]));
        Enumeration<InputStream> e = Collections.enumeration(parts);
        return new SequenceInputStream(e);
    }

    private static byte[] recordHeader(Path f, long length) {
        byte[] name = f.getFileName().toString().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + name.length + 8).putInt(name.length).put(name).putLong(length).array();
    }

    /** Deletes the checkpoint directory. */
    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deleting snapshot checkpoint " + dir, e);
        }
    }

    /**
     * Exactly {@code length} bytes of a file, opened on first read (a checkpoint's files are immutable,
     * so the length measured when packing holds).
     */
    private static final class BoundedFileStream extends InputStream {
        private final Path file;
        private long left;
        private InputStream in;

        BoundedFileStream(Path file, long length) {
            this.file = file;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left == 0) {
                close();
                return -1;
            }
            if (in == null) {
                in = Files.newInputStream(file);
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new IOException(file + " shrank while being sent");
            }
            left -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
                in = null;
            }
        }
    }
}
