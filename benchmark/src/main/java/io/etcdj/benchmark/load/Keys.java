package io.etcdj.benchmark.load;

/**
 * Benchmark keys as etcd's tool makes them: a zero-filled buffer of the key size with the key
 * number written at its start as a Go signed varint (zig-zag, 7 bits per byte, low group first).
 * A number whose varint does not fit is truncated to the buffer.
 */
public final class Keys {
    private Keys() {}

    public static byte[] varintKey(int keySize, long n) {
        byte[] k = new byte[keySize];
        long ux = n << 1;
        if (n < 0) {
            ux = ~ux;
        }
        int i = 0;
        while (Long.compareUnsigned(ux, 0x80) >= 0 && i < k.length) {
            k[i++] = (byte) (ux | 0x80);
            ux >>>= 7;
        }
        if (i < k.length) {
            k[i] = (byte) ux;
        }
        return k;
    }
}
