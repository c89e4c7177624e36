package io.etcdj.raftsim.check;

import java.util.Arrays;

/** A growable array of longs indexed by raft log index; 0 means "not known yet". */
final class LongArray {
    private long[] values = new long[256];

    long get(long index) {
        return index < values.length ? values[(int) index] : 0;
    }

    void set(long index, long value) {
        if (index >= values.length) {
            values = Arrays.copyOf(values, (int) Math.max(index + 1, values.length * 2L));
        }
        values[(int) index] = value;
    }
}
