package io.etcdj.etcdctl.print;

import java.util.Arrays;

/** clientv3's key-range helpers. */
public final class KeyRanges {
    private KeyRanges() {}

    /** The range end covering every key with this prefix; {0} when no such end exists. */
    public static byte[] prefixEnd(byte[] key) {
        byte[] end = Arrays.copyOf(key, key.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if ((end[i] & 0xff) < 0xff) {
                end[i] = (byte) (end[i] + 1);
                return Arrays.copyOf(end, i + 1);
            }
        }
        return new byte[] {0};
    }
}
