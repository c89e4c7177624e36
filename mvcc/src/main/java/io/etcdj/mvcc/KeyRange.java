package io.etcdj.mvcc;

import java.util.Arrays;

/**
 * A set of keys as etcd requests name it with {@code key} and {@code range_end}.
 *
 * <ul>
 *   <li>empty {@code range_end}: the single key {@code key} ({@link #end()} is null here);</li>
 *   <li>{@code range_end == "\0"}: every key {@code >= key} ({@link #end()} is the empty array);</li>
 *   <li>otherwise the half-open interval {@code [key, range_end)} in unsigned byte order, empty when
 *       {@code range_end <= key}.</li>
 * </ul>
 */
public record KeyRange(byte[] key, byte[] end) {
    private static final byte[] UNBOUNDED = new byte[0];

    /** Interprets a request's {@code key} and {@code range_end} fields. */
    public static KeyRange of(byte[] key, byte[] rangeEnd) {
        if (rangeEnd == null || rangeEnd.length == 0) {
            return new KeyRange(key, null);
        }
        if (rangeEnd.length == 1 && rangeEnd[0] == 0) {
            return new KeyRange(key, UNBOUNDED);
        }
        return new KeyRange(key, rangeEnd);
    }

    public static KeyRange single(byte[] key) {
        return new KeyRange(key, null);
    }

    /** All keys starting with {@code prefix} (etcd's {@code GetPrefixRangeEnd}). */
    public static KeyRange prefix(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if ((end[i] & 0xff) < 0xff) {
                end[i]++;
                return new KeyRange(prefix, Arrays.copyOf(end, i + 1));
            }
        }
        return new KeyRange(prefix, UNBOUNDED);
    }

    public boolean isSingleKey() {
        return end == null;
    }

    public boolean isUnbounded() {
        return end != null && end.length == 0;
    }

    public boolean contains(byte[] k) {
        if (end == null) {
            return Arrays.equals(key, k);
        }
        return Arrays.compareUnsigned(k, key) >= 0 && (end.length == 0 || Arrays.compareUnsigned(k, end) < 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyRange r && Arrays.equals(key, r.key) && Arrays.equals(end, r.end);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(end);
    }

    @Override
    public String toString() {
        return "[" + Arrays.toString(key) + ", " + (end == null ? "single" : Arrays.toString(end)) + ")";
    }
}
