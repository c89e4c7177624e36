package io.etcdj.mvcc;

import java.util.List;

/** Fetches the stored {@code KeyValue} bytes of revisions (committed, or pending in a write txn). */
interface ValueSource {
    /** Values of {@code revisions} in order; a missing value is a broken invariant. */
    List<byte[]> values(List<Revision> revisions);
}
