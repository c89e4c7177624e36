package io.etcdj.mvcc.backend;

import java.nio.charset.StandardCharsets;

/** Keys of the {@link Bucket#META} bucket (etcd's names). */
public final class MetaKeys {
    private MetaKeys() {
    }

    /** Last applied raft index, 8 bytes big-endian. Written in the same batch as the data it covers. */
    public static final byte[] CONSISTENT_INDEX = "consistent_index".getBytes(StandardCharsets.UTF_8);
    /** Raft term of the last applied entry, 8 bytes big-endian. */
    public static final byte[] TERM = "term".getBytes(StandardCharsets.UTF_8);
    /** Compaction revision accepted (index compacted); a 17-byte revision key. */
    public static final byte[] SCHEDULED_COMPACT_REV = "scheduledCompactRev".getBytes(StandardCharsets.UTF_8);
    /** Compaction revision whose physical deletion finished; a 17-byte revision key. */
    public static final byte[] FINISHED_COMPACT_REV = "finishedCompactRev".getBytes(StandardCharsets.UTF_8);
}
