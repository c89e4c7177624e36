package io.etcdj.mvcc.backend.bbolt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One of a bbolt file's two meta pages (pages 0 and 1), the root of everything else. Laid out after the
 * 16-byte page header, little-endian:
 *
 * <pre>
 *   0  u32 magic 0xED0CDAED      16 u64 root bucket's root page   40 u64 high-water mark (pages in use)
 *   4  u32 version 2             24 u64 root bucket's sequence    48 u64 transaction id
 *   8  u32 page size             32 u64 freelist page             56 u64 checksum: FNV-1a 64 of bytes 0..55
 *   12 u32 flags
 * </pre>
 *
 * bbolt writes the two pages alternately, so the valid one with the higher transaction id is current.
 */
record BboltMeta(int pageSize, long rootPage, long highWaterMark, long txid) {
    static final int MAGIC = 0xED0CDAED;
    static final int VERSION = 2;
    static final int SIZE = 64;
    private static final int CHECKSUMMED = 56;

    /**
     * Parses the meta at {@code bytes}' position (just after a page header).
     *
     * @throws BboltFormatException with bbolt's words ("invalid database", "version mismatch", "checksum error")
     */
    static BboltMeta parse(ByteBuffer bytes) throws BboltFormatException {
        ByteBuffer b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < SIZE || b.getInt(0) != MAGIC) {
            throw new BboltFormatException("invalid database");
        }
        if (b.getInt(4) != VERSION) {
            throw new BboltFormatException("version mismatch");
        }
        if (b.getLong(CHECKSUMMED) != fnv1a64(b, CHECKSUMMED)) {
            throw new BboltFormatException("checksum error");
        }
        int pageSize = b.getInt(8);
        if (pageSize < 512 || pageSize > (1 << 20) || Integer.bitCount(pageSize) != 1) {
            throw new BboltFormatException("invalid page size " + Integer.toUnsignedString(pageSize));
        }
        return new BboltMeta(pageSize, b.getLong(16), b.getLong(40), b.getLong(48));
    }

    /** Whether {@code bytes} starts where a meta page's magic would be (offset 16 of the file). */
    static boolean hasMagic(ByteBuffer bytes) {
        return bytes.remaining() >= 4 && bytes.order(ByteOrder.LITTLE_ENDIAN).getInt(bytes.position()) == MAGIC;
    }

    /** The database's size as bbolt's {@code Tx.Size} reports it: every page up to the high-water mark. */
    long databaseSize() {
        return highWaterMark * pageSize;
    }

    static long fnv1a64(ByteBuffer b, int length) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < length; i++) {
            h ^= b.get(i) & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
