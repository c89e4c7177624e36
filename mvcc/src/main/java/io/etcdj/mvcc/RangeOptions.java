package io.etcdj.mvcc;

/**
 * Options of a store-level range.
 *
 * @param limit at most this many key-values ({@code <= 0}: all)
 * @param rev the revision to read at ({@code <= 0}: the view's current revision)
 * @param countOnly return only the count, no key-values
 */
public record RangeOptions(long limit, long rev, boolean countOnly) {
    public static final RangeOptions LATEST = new RangeOptions(0, 0, false);

    public static RangeOptions atRevision(long rev) {
        return new RangeOptions(0, rev, false);
    }
}
