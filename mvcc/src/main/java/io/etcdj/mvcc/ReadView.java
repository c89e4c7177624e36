package io.etcdj.mvcc;

/** A consistent view of the store for reading. */
public interface ReadView {
    /** The compaction revision: reads below it fail with {@link MvccException#compacted()}. */
    long firstRev();

    /** The view's current revision (inside a write txn with changes: the txn's own revision). */
    long rev();

    /**
     * Key-values of {@code range} at {@code options.rev()}.
     *
     * @throws MvccException compacted ({@code rev < firstRev()}) or future ({@code rev > rev()})
     */
    RangeResult range(KeyRange range, RangeOptions options);
}
