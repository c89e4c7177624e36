package io.etcdj.mvcc;

import java.nio.ByteBuffer;

/**
 * A point in the store's history: {@code main} is the revision of one write transaction, {@code sub}
 * numbers the changes inside it (0, 1, 2, ...).
 *
 * <p>On disk a revision is the key of the {@code key} bucket, encoded as etcd does: 8 bytes of
 * {@code main} big-endian, the byte {@code '_'}, 8 bytes of {@code sub} big-endian (17 bytes), plus a
 * trailing {@code 't'} when the entry is a tombstone (18 bytes). Revisions are never negative, so
 * unsigned byte order of the encoding equals revision order, and a tombstone marker never changes the
 * order of two distinct revisions.
 */
public record Revision(long main, long sub) implements Comparable<Revision> {

    public static final int ENCODED_LENGTH = 17;
    public static final int TOMBSTONE_ENCODED_LENGTH = 18;
    private static final byte SEPARATOR = '_';
    private static final byte TOMBSTONE_MARK = 't';

    public Revision {
        if (main < 0 || sub < 0) {
            throw new IllegalArgumentException("negative revision " + main + "_" + sub);
        }
    }

    /** The first revision of main revision {@code main}. */
    public static Revision of(long main) {
        return new Revision(main, 0);
    }

    @Override
    public int compareTo(Revision o) {
        int c = Long.compare(main, o.main);
        return c != 0 ? c : Long.compare(sub, o.sub);
    }

    public boolean greaterThan(Revision o) {
        return compareTo(o) > 0;
    }

    /** The 17-byte backend key of this revision. */
    public byte[] toBytes() {
        return encode(false);
    }

    /** The 18-byte backend key of this revision marking a tombstone. */
    public byte[] toTombstoneBytes() {
        return encode(true);
    }

    private byte[] encode(boolean tombstone) {
        ByteBuffer b = ByteBuffer.allocate(tombstone ? TOMBSTONE_ENCODED_LENGTH : ENCODED_LENGTH);
        b.putLong(main).put(SEPARATOR).putLong(sub);
        if (tombstone) {
            b.put(TOMBSTONE_MARK);
        }
        return b.array();
    }

    /** Decodes a backend key written by {@link #toBytes()} or {@link #toTombstoneBytes()}. */
    public static Revision fromBytes(byte[] bytes) {
        if (bytes.length != ENCODED_LENGTH && bytes.length != TOMBSTONE_ENCODED_LENGTH) {
            throw new IllegalArgumentException("not a revision key: length " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long main = b.getLong();
        b.get();
        return new Revision(main, b.getLong());
    }

    public static boolean isTombstone(byte[] bytes) {
        return bytes.length == TOMBSTONE_ENCODED_LENGTH && bytes[ENCODED_LENGTH] == TOMBSTONE_MARK;
    }

    @Override
    public String toString() {
        return main + "_" + sub;
    }
}
