package io.etcdj.wal.etcd;

/**
 * CRC-32C (Castagnoli) that continues from a given value, as Go's {@code crc32.Update(crc, tab, p)}
 * does: etcd chains the CRC of each WAL record from the previous one, which
 * {@link java.util.zip.CRC32C} cannot be seeded to do. {@code update(0, p)} is the plain CRC-32C of p.
 */
final class GoCrc32c {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            TABLE[i] = c;
        }
    }

    private GoCrc32c() {}

    static int update(int crc, byte[] p) {
        int c = ~crc;
        for (byte b : p) {
            c = TABLE[(c ^ b) & 0xFF] ^ (c >>> 8);
        }
        return ~c;
    }
}
