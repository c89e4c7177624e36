package io.etcdj.etcdutl;

import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.server.snapshot.SnapshotFormat;
import io.etcdj.server.snapshot.SnapshotUnpacker;
import io.etcdj.server.storage.MvccServerBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * What {@code snapshot status} reports of a snapshot file, as etcd's fields: a hash of the backend's
 * contents (our backend's CRC-32C over every bucket but the raft position), the store's revision, the
 * number of keys in every bucket, and the size of the packed backend (the file without its trailer).
 * An etcd snapshot (a bbolt file) gets etcd's own figures instead ({@link EtcdSnapshotFile#status}).
 */
public record SnapshotStatus(long hash, long revision, long totalKey, long totalSize) {

    /** Unpacks {@code file} (one of ours) into a scratch directory (removed afterwards) and reads it. */
    public static SnapshotStatus of(Path file) throws IOException {
        if (EtcdSnapshotFile.is(file)) {
            return EtcdSnapshotFile.status(file);
        }
        Path scratch = Files.createTempDirectory("etcdutl-status");
        try {
            Path db = scratch.resolve("db");
            SnapshotUnpacker.unpack(file, db, true);
            long size = Files.size(file);
            long totalSize = SnapshotFormat.hasTrailer(size) ? size - SnapshotFormat.SHA256_BYTES : size;
            try (Backend backend = Backend.open(db)) {
                long[] keys = {0};
                for (Bucket b : Bucket.values()) {
                    backend.forEach(b, null, null, (k, v) -> {
                        // the v2 store is no key etcd counts: etcd keeps it in its snap files, not in the db
                        if (!MvccServerBackend.holdsV2Store(b, k)) {
                            keys[0]++;
                        }
                        return true;
                    });
                }
                long revision;
                try (KvStore store = KvStore.open(backend)) {
                    revision = store.rev();
                }
                return new SnapshotStatus(Integer.toUnsignedLong(backend.hash()), revision, keys[0], totalSize);
            }
        } finally {
            try (Stream<Path> s = Files.walk(scratch)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
