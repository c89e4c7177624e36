package io.etcdj.mvcc.backend.bbolt;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A branch or leaf page of a bbolt B+tree, with its overflow pages (a page whose elements do not fit
 * continues over the {@code overflow} pages after it). Little-endian:
 *
 * <pre>
 *   header          u64 page id, u16 flags, u16 element count, u32 overflow page count
 *   branch element  u32 pos, u32 key size, u64 child page id
 *   leaf element    u32 flags (1: the value is a nested bucket), u32 pos, u32 key size, u32 value size
 * </pre>
 *
 * Elements (16 bytes each) follow the header in key order; {@code pos} counts from the element's own
 * first byte to its key, and a leaf's value follows its key. Every accessor checks its bounds against
 * the bytes read, so a damaged page gives a {@link BboltFormatException}, never a wild read.
 */
final class BboltPage {
    static final int HEADER_SIZE = 16;
    static final int ELEMENT_SIZE = 16;
    static final int BRANCH = 0x01;
    static final int LEAF = 0x02;
    static final int BUCKET_LEAF_FLAG = 0x01;

    private final String name;
    private final ByteBuffer bytes;
    private final int flags;
    private final int count;

    /** @param name what messages call this page ("page 12", "inline bucket in page 7") */
    BboltPage(String name, ByteBuffer bytes) throws BboltFormatException {
        this.name = name;
        this.bytes = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (this.bytes.capacity() < HEADER_SIZE) {
            throw new BboltFormatException(name + ": shorter than a page header");
        }
        this.flags = this.bytes.getShort(8) & 0xffff;
        this.count = this.bytes.getShort(10) & 0xffff;
        if (flags != BRANCH && flags != LEAF) {
            throw new BboltFormatException(name + ": invalid page type: 0x" + Integer.toHexString(flags)
                    + " (neither branch nor leaf)");
        }
        if (HEADER_SIZE + (long) count * ELEMENT_SIZE > this.bytes.capacity()) {
            throw new BboltFormatException(name + ": " + count + " elements do not fit in the page");
        }
    }

    /** The page id a page header at {@code header}'s position claims. */
    static long id(ByteBuffer header) {
        return header.order(ByteOrder.LITTLE_ENDIAN).getLong(header.position());
    }

    /** The overflow page count a page header at {@code header}'s position claims (unsigned). */
    static long overflow(ByteBuffer header) {
        return Integer.toUnsignedLong(header.order(ByteOrder.LITTLE_ENDIAN).getInt(header.position() + 12));
    }

    String name() {
        return name;
    }

    boolean isBranch() {
        return flags == BRANCH;
    }

    int count() {
        return count;
    }

    byte[] key(int i) throws BboltFormatException {
        int e = element(i);
        return isBranch()
                ? slice(e, bytes.getInt(e), bytes.getInt(e + 4))
                : slice(e, bytes.getInt(e + 4), bytes.getInt(e + 8));
    }

    /** A branch element's child page. */
    long child(int i) {
        return bytes.getLong(element(i) + 8);
    }

    /** A leaf element's value (a nested bucket's header and, if inline, its page). */
    byte[] value(int i) throws BboltFormatException {
        int e = element(i);
        long afterKey = Integer.toUnsignedLong(bytes.getInt(e + 4)) + Integer.toUnsignedLong(bytes.getInt(e + 8));
        if (afterKey > Integer.MAX_VALUE) {
            throw new BboltFormatException(name + ": element " + i + " points outside the page");
        }
        return slice(e, (int) afterKey, bytes.getInt(e + 12));
    }

    /** Whether a leaf element's value is a nested bucket. */
    boolean isBucket(int i) {
        return (bytes.getInt(element(i)) & BUCKET_LEAF_FLAG) != 0;
    }

    private int element(int i) {
        return HEADER_SIZE + i * ELEMENT_SIZE;
    }

    /** {@code size} bytes at {@code element + pos}, both unsigned. */
    private byte[] slice(int element, int pos, int size) throws BboltFormatException {
        long from = element + Integer.toUnsignedLong(pos);
        long to = from + Integer.toUnsignedLong(size);
        if (to > bytes.capacity()) {
            throw new BboltFormatException(name + ": element at byte " + element + " points outside the page");
        }
        byte[] out = new byte[(int) (to - from)];
        bytes.get((int) from, out);
        return out;
    }
}
