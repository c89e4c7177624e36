package io.etcdj.wal.etcd;

import com.google.protobuf.CodedInputStream;
import io.etcdj.raft.pb.Snapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * etcd's raft snapshot files, {@code member/snap/<term>-<index>.snap} (16 hex digits each): a
 * snappb.Snapshot {crc = 1 (uint32), data = 2 (bytes)} whose data is a raftpb.Snapshot (in etcd 3.4 its
 * data is the v2 store as JSON) and whose crc is the CRC-32C of data. As etcd does at start, the newest
 * file that decodes and verifies is taken; a damaged newer one is skipped (and named by the caller's log).
 */
public final class EtcdSnapFile {
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{16}-[0-9a-f]{16}\\.snap");

    /** A loaded snapshot and the newer files that did not verify. */
    public record Loaded(Optional<Snapshot> snapshot, List<String> skipped) {}

    private EtcdSnapFile() {}

    public static Loaded loadNewest(Path snapDir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(snapDir)) {
            try (Stream<Path> s = Files.list(snapDir)) {
                s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(files::add);
            }
        }
        files.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        List<String> skipped = new ArrayList<>();
        for (Path f : files) {
            try {
                return new Loaded(Optional.of(read(f)), skipped);
            } catch (IOException e) {
                skipped.add(f + ": " + e.getMessage());
            }
        }
        return new Loaded(Optional.empty(), skipped);
    }

    static Snapshot read(Path file) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(Files.readAllBytes(file));
        Integer crc = null;
        byte[] data = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (tag) {
                case 8 -> crc = in.readUInt32();
                case 18 -> data = in.readByteArray();
                default -> in.skipField(tag);
            }
        }
        if (crc == null || data == null) {
            throw new IOException("not an etcd snapshot file (no crc or no data)");
        }
        if (GoCrc32c.update(0, data) != crc) {
            throw new IOException("crc mismatch");
        }
        return Snapshot.parseFrom(data);
    }
}
