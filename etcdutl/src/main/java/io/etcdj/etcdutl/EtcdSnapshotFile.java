package io.etcdj.etcdutl;

import io.etcdj.mvcc.backend.bbolt.BboltBucketCopy;
import io.etcdj.mvcc.backend.bbolt.BboltFile;
import io.etcdj.mvcc.backend.bbolt.BboltFormatException;
import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.server.snapshot.SnapshotFormat;
import io.etcdj.server.snapshot.SnapshotUnpacker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A snapshot taken from a real etcd: its backend's bbolt database, followed by the database's SHA-256
 * when {@code etcdctl snapshot save} wrote it (the file's size is then 32 more than a multiple of 512),
 * or without one when it is a copied {@code member/snap/db}. The buckets hold etcd's encodings, which
 * are ours, so a restore copies every bucket into the column family of the same name.
 */
final class EtcdSnapshotFile {
    /** etcd 3.5's record of raft's configuration in the meta bucket: the new cluster's WAL replaces it. */
    private static final byte[] CONF_STATE = "confState".getBytes(StandardCharsets.UTF_8);

    private EtcdSnapshotFile() {}

    /** Whether {@code file} is a bbolt database (with or without a trailer) rather than a snapshot of ours. */
    static boolean is(Path file) {
        return BboltFile.isBbolt(file);
    }

    /**
     * etcd's {@code snapshot status} figures: a CRC-32C over each top-level bucket's name (in name order)
     * followed by its keys and values (in key order), the main revision of the last key of bucket "key",
     * the number of entries in all buckets, and bbolt's database size.
     */
    static SnapshotStatus status(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        long[] keysAndRevision = {0, 0};
        try (BboltFile db = BboltFile.open(file)) {
            db.walk(new BboltFile.Visitor() {
                @Override
                public boolean bucket(List<byte[]> parents, byte[] name) {
                    crc.update(name);
                    if (parents.isEmpty()) {
                        return true;
                    }
                    // a bucket nested in a top-level one: etcd's ForEach sees its name with no value
                    count(parents.get(0), name);
                    return false;
                }

                @Override
                public void entry(List<byte[]> path, byte[] key, byte[] value) throws IOException {
                    if (path.isEmpty()) {
                        throw new BboltFormatException("cannot get hash of bucket " + new String(key, StandardCharsets.UTF_8));
                    }
                    crc.update(key);
                    crc.update(value);
                    count(path.get(0), key);
                }

                private void count(byte[] bucket, byte[] key) {
                    keysAndRevision[0]++;
                    if (Arrays.equals(bucket, Bucket.KEY.nameBytes()) && key.length >= 8) {
                        keysAndRevision[1] = ByteBuffer.wrap(key).getLong();
                    }
                }
            });
            return new SnapshotStatus(crc.getValue(), keysAndRevision[1], keysAndRevision[0], db.size());
        }
    }

    /**
     * Checks the trailer as etcd's restore does, then copies every bucket of {@code file} into a new
     * backend at {@code backendDir}, leaving out etcd 3.5's raft configuration record.
     *
     * @throws IOException with etcd's texts for a missing or wrong hash; when the file is damaged, or has
     *     a bucket our backend has no column family for
     */
    static void importInto(Path file, Path backendDir, boolean skipHashCheck) throws IOException {
        long size = Files.size(file);
        boolean trailer = SnapshotFormat.hasTrailer(size);
        if (!trailer && !skipHashCheck) {
            throw new IOException("snapshot missing hash but --skip-hash-check=false");
        }
        if (trailer && !skipHashCheck) {
            SnapshotUnpacker.verifyTrailer(file, size - SnapshotFormat.SHA256_BYTES);
        }
        try (BboltFile db = BboltFile.open(file); Backend backend = Backend.open(backendDir)) {
            BboltBucketCopy.copy(db, file, backend,
                    (bucket, key) -> !(bucket == Bucket.META && Arrays.equals(key, CONF_STATE)));
        }
    }
}
