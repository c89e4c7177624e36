package io.etcdj.server.snapshot;

import java.nio.charset.StandardCharsets;

/**
 * The single-file form of a backend snapshot (what Maintenance.Snapshot streams and
 * {@code snapshot save} writes). The backend is a RocksDB directory, so the file packs a consistent
 * checkpoint of it:
 *
 * <pre>
 *   magic      16 bytes  "ETCDJ-SNAPSHOT-1"
 *   record*    u32 name length (&gt; 0), name (UTF-8, a plain file name), u64 length, the file's bytes
 *   end        u32 0
 *   padding    zero bytes up to a multiple of {@value #ALIGNMENT} bytes
 *   trailer    32 bytes: SHA-256 of every byte before it (added by the stream, kept in the file)
 * </pre>
 *
 * Integers are big-endian. The padding exists because etcdctl 3.4 recognises a snapshot with an
 * integrity trailer by {@code size % 512 == 32} (bbolt files are page multiples), and refuses a
 * stream without one.
 */
public final class SnapshotFormat {
    public static final byte[] MAGIC = "ETCDJ-SNAPSHOT-1".getBytes(StandardCharsets.US_ASCII);
    public static final int ALIGNMENT = 512;
    public static final int SHA256_BYTES = 32;

    private SnapshotFormat() {}

    /** Bytes of padding after {@code size} bytes so that the body is a multiple of {@link #ALIGNMENT}. */
    static int padding(long size) {
        return (int) ((ALIGNMENT - size % ALIGNMENT) % ALIGNMENT);
    }

    /** Whether a file of {@code size} bytes carries the SHA-256 trailer (etcd's test). */
    public static boolean hasTrailer(long size) {
        return size % ALIGNMENT == SHA256_BYTES;
    }
}
