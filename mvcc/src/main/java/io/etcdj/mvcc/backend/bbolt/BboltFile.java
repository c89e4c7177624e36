package io.etcdj.mvcc.backend.bbolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A bbolt database file (etcd's backend, and what its {@code snapshot save} writes), opened read-only.
 * Only what the meta page reaches is read: bytes after the database (etcd's SHA-256 trailer) are
 * ignored. Pages are read on demand and each one at most once per {@link #walk}, so a damaged file
 * (a cycle, a page id out of range, an absurd overflow count) ends in a {@link BboltFormatException}
 * within one pass over the file, never a hang or an allocation larger than the file.
 */
public final class BboltFile implements AutoCloseable {
    private static final int[] PAGE_SIZES_TRIED = {4096, 1024, 2048, 8192, 16384, 32768, 65536};

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    private final BboltMeta meta;

    /** What {@link #walk} reports: every entry of every bucket, buckets in key order, depth first. */
    public interface Visitor {
        /**
         * A nested bucket named {@code name} inside the bucket {@code parents} (empty: the root, whose
         * entries are etcd's top-level buckets). Return true to visit its entries now, before the next
         * entry of its parent.
         */
        boolean bucket(List<byte[]> parents, byte[] name) throws IOException;

        /** A key and its value in the bucket {@code path} (top-level bucket first). */
        void entry(List<byte[]> path, byte[] key, byte[] value) throws IOException;
    }

    private BboltFile(Path path, FileChannel channel, long fileSize, BboltMeta meta) {
        this.path = path;
        this.channel = channel;
        this.fileSize = fileSize;
        this.meta = meta;
    }

    /** Whether {@code file} starts with a bbolt meta page (its magic at byte 16); false if unreadable. */
    public static boolean isBbolt(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4);
            return ch.read(b, BboltPage.HEADER_SIZE) == 4 && BboltMeta.hasMagic(b.flip());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Opens {@code file} and picks its current meta page.
     *
     * @throws BboltFormatException when neither meta page is valid or the file is shorter than the database
     */
    public static BboltFile open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            BboltMeta meta = currentMeta(ch, size);
            if (meta.highWaterMark() < 2 || meta.databaseSize() / meta.pageSize() != meta.highWaterMark()
                    || meta.databaseSize() > size) {
                throw new BboltFormatException("file size " + size + " is smaller than the database's "
                        + Long.toUnsignedString(meta.highWaterMark()) + " pages of " + meta.pageSize()
                        + " bytes: truncated");
            }
            return new BboltFile(file, ch, size, meta);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * bbolt's choice: the meta with the higher transaction id if it is valid, else the other; the page
     * size comes from meta 0 or, when that is damaged, from the first size at which meta 1 is valid.
     */
    private static BboltMeta currentMeta(FileChannel ch, long size) throws IOException {
        BboltMeta meta0 = null;
        BboltFormatException error0;
        try {
            meta0 = readMeta(ch, size, 0);
            error0 = null;
        } catch (BboltFormatException e) {
            error0 = e;
        }
        BboltMeta meta1 = null;
        for (int pageSize : meta0 != null ? new int[] {meta0.pageSize()} : PAGE_SIZES_TRIED) {
            try {
                meta1 = readMeta(ch, size, pageSize);
                if (meta1.pageSize() == pageSize) {
                    break;
                }
                meta1 = null;
            } catch (BboltFormatException e) {
                // not a valid meta at this offset
            }
        }
        if (meta0 != null && meta1 != null) {
            if (meta0.pageSize() != meta1.pageSize()) {
                return meta0;
            }
            return Long.compareUnsigned(meta1.txid(), meta0.txid()) > 0 ? meta1 : meta0;
        }
        if (meta0 != null) {
            return meta0;
        }
        if (meta1 != null) {
            return meta1;
        }
        throw error0;
    }

    private static BboltMeta readMeta(FileChannel ch, long size, long pageOffset) throws IOException {
        if (pageOffset + BboltPage.HEADER_SIZE + BboltMeta.SIZE > size) {
            throw new BboltFormatException("file size too small");
        }
        ByteBuffer b = ByteBuffer.allocate(BboltMeta.SIZE);
        readFully(ch, b, pageOffset + BboltPage.HEADER_SIZE);
        return BboltMeta.parse(b.flip());
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        long at = position;
        while (b.hasRemaining()) {
            int n = ch.read(b, at);
            if (n < 0) {
                throw new BboltFormatException("unexpected end of file at byte " + at);
            }
            at += n;
        }
    }

    /** The database's size as bbolt's {@code Tx.Size}: page size times the high-water mark. */
    public long size() {
        return meta.databaseSize();
    }

    public int pageSize() {
        return meta.pageSize();
    }

    /** The current meta's transaction id. */
    public long txid() {
        return meta.txid();
    }

    /** Visits every bucket and entry in key order (see {@link Visitor}). */
    public void walk(Visitor visitor) throws IOException {
        new BboltWalk(this, visitor).walkRoot(meta.rootPage());
    }

    /**
     * Reads branch or leaf page {@code id} with its overflow pages.
     *
     * @param from what refers to it, for messages
     */
    BboltPage page(long id, String from) throws IOException {
        if (id < 2 || Long.compareUnsigned(id, meta.highWaterMark()) >= 0) {
            throw new BboltFormatException(from + " refers to page " + Long.toUnsignedString(id)
                    + ", outside the database's pages 2.." + (meta.highWaterMark() - 1));
        }
        long offset = id * meta.pageSize();
        ByteBuffer header = ByteBuffer.allocate(BboltPage.HEADER_SIZE);
        readFully(channel, header, offset);
        header.flip();
        if (BboltPage.id(header) != id) {
            throw new BboltFormatException("page " + id + ": its header says page "
                    + Long.toUnsignedString(BboltPage.id(header)) + " (" + from + ")");
        }
        long pages = BboltPage.overflow(header) + 1;
        if (pages > meta.highWaterMark() - id || pages * meta.pageSize() > Integer.MAX_VALUE - 8) {
            throw new BboltFormatException("page " + id + ": " + (pages - 1) + " overflow pages run past the database");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) (pages * meta.pageSize()));
        readFully(channel, bytes, offset);
        return new BboltPage("page " + id, bytes.flip());
    }

    @Override
    public String toString() {
        return path + " (bbolt, " + fileSize + " bytes)";
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
