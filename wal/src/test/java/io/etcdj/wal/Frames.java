package io.etcdj.wal;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Test access to the frames of a segment file (their offsets and lengths) and byte surgery. */
final class Frames {
    record Frame(long offset, long length) {
        long end() {
            return offset + length;
        }
    }

    private Frames() {}

    /** The frames of a segment, found by following the header lengths up to a zero word. */
    static List<Frame> of(Path segment) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment)).order(ByteOrder.LITTLE_ENDIAN);
        List<Frame> frames = new ArrayList<>();
        int o = 0;
        while (o + 8 <= b.limit() && b.getLong(o) != 0) {
            int n = b.getInt(o);
            long len = WalFormat.frameLength(n);
            frames.add(new Frame(o, len));
            o += (int) len;
        }
        return frames;
    }

    static void flipBit(Path file, long bit) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(bit / 8);
            int v = f.read();
            f.seek(bit / 8);
            f.write(v ^ (1 << (bit % 8)));
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    static void zero(Path file, long from, long to) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(from);
            f.write(new byte[(int) (to - from)]);
        }
    }

    static void copyDir(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static List<Path> segments(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".wal")).sorted().toList();
        }
    }
}
