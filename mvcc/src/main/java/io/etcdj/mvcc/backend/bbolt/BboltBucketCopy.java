package io.etcdj.mvcc.backend.bbolt;

import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.BackendBatch;
import io.etcdj.mvcc.backend.Bucket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Copies every top-level bucket of an etcd bbolt database into the column family of the same name of
 * one of our backends: etcd's encodings (revision keys, mvccpb.KeyValue, leasepb.Lease, auth records)
 * are ours, so a key/value pair is copied as it is. A pair the {@link Filter} rejects is left out. A
 * bucket we have no column family for, or a nested bucket (etcd writes neither), refuses rather than
 * drop data. The copy is committed in batches without moving the consistent index.
 */
public final class BboltBucketCopy {
    private static final int BATCH_ENTRIES = 10_000;

    /** Which pairs to copy. */
    public interface Filter {
        Filter ALL = (bucket, key) -> true;

        boolean copy(Bucket bucket, byte[] key);
    }

    private BboltBucketCopy() {}

    /** Copies {@code db}'s buckets (read from {@code file}, named in messages) into {@code backend}, then syncs it. */
    public static void copy(BboltFile db, Path file, Backend backend, Filter filter) throws IOException {
        BackendBatch[] batch = {backend.newBatch()};
        db.walk(new BboltFile.Visitor() {
            @Override
            public boolean bucket(List<byte[]> parents, byte[] name) throws IOException {
                if (!parents.isEmpty()) {
                    throw new IOException("bucket " + text(parents.get(0)) + " of " + file + " holds a nested bucket "
                            + text(name) + ", which etcd never writes");
                }
                bucketNamed(name);
                return true;
            }

            @Override
            public void entry(List<byte[]> path, byte[] key, byte[] value) throws IOException {
                if (path.isEmpty()) {
                    throw new BboltFormatException("key " + text(key) + " of " + file + " is outside any bucket");
                }
                Bucket bucket = bucketNamed(path.get(0));
                if (!filter.copy(bucket, key)) {
                    return;
                }
                batch[0].put(bucket, key, value);
                if (batch[0].size() >= BATCH_ENTRIES) {
                    backend.commitWithoutConsistentIndex(batch[0]);
                    batch[0] = backend.newBatch();
                }
            }

            private Bucket bucketNamed(byte[] name) throws IOException {
                for (Bucket b : Bucket.values()) {
                    if (Arrays.equals(b.nameBytes(), name)) {
                        return b;
                    }
                }
                throw new IOException("bucket " + text(name) + " of " + file + " has no counterpart in etcdj's backend");
            }
        });
        backend.commitWithoutConsistentIndex(batch[0]);
        backend.sync();
    }

    private static String text(byte[] b) {
        return "\"" + new String(b, StandardCharsets.UTF_8) + "\"";
    }
}
