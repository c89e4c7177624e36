package io.etcdj.mvcc.backend.bbolt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader on a small bbolt file built here byte by byte (4 KiB pages): a root leaf (page 2) holding
 * bucket "big" (a branch, page 3, over a leaf, page 4, and a leaf with one overflow page, pages 5-6) and
 * the inline bucket "key"; then the same file damaged in one place per scenario.
 */
class BboltFileTest {
    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    @Test
    void walksEveryBucketInKeyOrderThroughBranchOverflowAndInlinePages() throws Exception {
        try (BboltFile f = BboltFile.open(write(sample()))) {
            assertThat(f.size()).isEqualTo(7L * PAGE);
            assertThat(f.txid()).isEqualTo(2);
            assertThat(walk(f)).containsExactly("bucket big", "big/k1=v1", "big/k2=v2", "big/k5=5000 bytes",
                    "bucket key", "key/a=1", "key/b=2");
        }
    }

    @Test
    void aMetaPageFailingItsChecksumLeavesTheOtherOne() throws Exception {
        byte[] file = sample();
        file[PAGE + 16 + 40] ^= 1; // meta 1's high-water mark
        try (BboltFile f = BboltFile.open(write(file))) {
            assertThat(f.txid()).isEqualTo(1);
            assertThat(walk(f)).hasSize(7);
        }
        file[16 + 40] ^= 1;
        Path both = write(file);
        assertThatThrownBy(() -> BboltFile.open(both)).hasMessage("checksum error");
    }

    @Test
    void aFileWithoutTheMagicIsNoBboltFile() throws Exception {
        byte[] file = sample();
        Arrays.fill(file, 16, 20, (byte) 0);
        Arrays.fill(file, PAGE + 16, PAGE + 20, (byte) 0);
        Path p = write(file);
        assertThat(BboltFile.isBbolt(p)).isFalse();
        assertThatThrownBy(() -> BboltFile.open(p)).hasMessage("invalid database");
    }

    @Test
    void aTruncatedFileIsRefusedWhenOpened() throws Exception {
        Path p = write(Arrays.copyOf(sample(), 5 * PAGE));
        assertThatThrownBy(() -> BboltFile.open(p)).isInstanceOf(BboltFormatException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void damagedPagesStopTheWalkWithWhereTheyAre() throws Exception {
        byte[] wrongId = sample();
        put64(wrongId, 4 * PAGE, 9);
        assertWalkFails(wrongId, "page 4: its header says page 9");

        byte[] cycle = sample();
        put64(cycle, 3 * PAGE + 16 + 16 + 8, 2); // the branch's second child: the root page again
        assertWalkFails(cycle, "refers to page 2, which was already visited");

        byte[] overflow = sample();
        put32(overflow, 5 * PAGE + 12, 0x7fffffff);
        assertWalkFails(overflow, "page 5: 2147483647 overflow pages run past the database");

        byte[] outside = sample();
        put32(outside, 4 * PAGE + 16 + 12, 1 << 20); // k1's value size
        assertWalkFails(outside, "page 4: element at byte 16 points outside the page");

        byte[] outOfRange = sample();
        put64(outOfRange, 3 * PAGE + 16 + 8, 1000);
        assertWalkFails(outOfRange, "refers to page 1000, outside the database's pages 2..6");

        byte[] unsorted = sample();
        byte[] k2 = "k0".getBytes(StandardCharsets.US_ASCII);
        int k2At = indexOf(unsorted, "k2v2".getBytes(StandardCharsets.US_ASCII), 4 * PAGE);
        System.arraycopy(k2, 0, unsorted, k2At, 2); // page 4 now holds k1, k0
        assertWalkFails(unsorted, "keys out of order in bucket \"big\"");
    }

    private void assertWalkFails(byte[] file, String message) throws Exception {
        try (BboltFile f = BboltFile.open(write(file))) {
            assertThatThrownBy(() -> walk(f)).isInstanceOf(BboltFormatException.class).hasMessageContaining(message);
        }
    }

    private static List<String> walk(BboltFile f) throws Exception {
        List<String> seen = new ArrayList<>();
        f.walk(new BboltFile.Visitor() {
            @Override
            public boolean bucket(List<byte[]> parents, byte[] name) {
                seen.add("bucket " + s(name));
                return true;
            }

            @Override
            public void entry(List<byte[]> path, byte[] key, byte[] value) {
                seen.add(s(path.get(0)) + "/" + s(key) + "=" + (value.length > 100 ? value.length + " bytes" : s(value)));
            }
        });
        return seen;
    }

    // ---------------------------------------------------------------- building the file

    private static byte[] sample() {
        byte[] file = new byte[7 * PAGE];
        meta(file, 0, 1);
        meta(file, 1, 2);
        byte[] bigHeader = bucketHeader(3);
        byte[] inline = concat(bucketHeader(0), leaf(0, 0, List.of(kv("a", "1"), kv("b", "2")), false));
        place(file, 2, leaf(2, 0, List.of(bucket("big", bigHeader), bucket("key", inline)), true));
        place(file, 3, branch(3, List.of(new Object[] {"k1", 4L}, new Object[] {"k5", 5L})));
        place(file, 4, leaf(4, 0, List.of(kv("k1", "v1"), kv("k2", "v2")), true));
        place(file, 5, leaf(5, 1, List.<Object[]>of(new Object[] {0, "k5".getBytes(StandardCharsets.US_ASCII), new byte[5000]}), true));
        return file;
    }

    private static void meta(byte[] file, int id, long txid) {
        ByteBuffer b = ByteBuffer.wrap(file, id * PAGE, PAGE).slice().order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, id).putShort(8, (short) 0x04);
        ByteBuffer m = ByteBuffer.wrap(file, id * PAGE + 16, 64).slice().order(ByteOrder.LITTLE_ENDIAN);
        m.putInt(0, BboltMeta.MAGIC).putInt(4, 2).putInt(8, PAGE).putLong(16, 2).putLong(32, 0).putLong(40, 7)
                .putLong(48, txid);
        m.putLong(56, BboltMeta.fnv1a64(m, 56));
    }

    private static Object[] kv(String k, String v) {
        return new Object[] {0, k.getBytes(StandardCharsets.US_ASCII), v.getBytes(StandardCharsets.US_ASCII)};
    }

    private static Object[] bucket(String k, byte[] header) {
        return new Object[] {1, k.getBytes(StandardCharsets.US_ASCII), header};
    }

    private static byte[] bucketHeader(long root) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(0, root).array();
    }

    /** A leaf page; {@code padded}: to whole pages (else exactly its bytes, as an inline bucket's). */
    private static byte[] leaf(long id, int overflow, List<Object[]> elements, boolean padded) {
        int data = 16 + 16 * elements.size();
        int size = data;
        for (Object[] e : elements) {
            size += ((byte[]) e[1]).length + ((byte[]) e[2]).length;
        }
        ByteBuffer b = ByteBuffer.allocate(padded ? (overflow + 1) * PAGE : size).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, id).putShort(8, (short) 0x02).putShort(10, (short) elements.size()).putInt(12, overflow);
        for (int i = 0; i < elements.size(); i++) {
            byte[] k = (byte[]) elements.get(i)[1];
            byte[] v = (byte[]) elements.get(i)[2];
            int at = 16 + 16 * i;
            b.putInt(at, (Integer) elements.get(i)[0]).putInt(at + 4, data - at).putInt(at + 8, k.length).putInt(at + 12, v.length);
            b.put(data, k).put(data + k.length, v);
            data += k.length + v.length;
        }
        return b.array();
    }

    private static byte[] branch(long id, List<Object[]> children) {
        ByteBuffer b = ByteBuffer.allocate(PAGE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, id).putShort(8, (short) 0x01).putShort(10, (short) children.size());
        int data = 16 + 16 * children.size();
        for (int i = 0; i < children.size(); i++) {
            byte[] k = ((String) children.get(i)[0]).getBytes(StandardCharsets.US_ASCII);
            int at = 16 + 16 * i;
            b.putInt(at, data - at).putInt(at + 4, k.length).putLong(at + 8, (Long) children.get(i)[1]);
            b.put(data, k);
            data += k.length;
        }
        return b.array();
    }

    private static void place(byte[] file, int id, byte[] page) {
        System.arraycopy(page, 0, file, id * PAGE, page.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static void put64(byte[] file, int at, long v) {
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    }

    private static void put32(byte[] file, int at, int v) {
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(at, v);
    }

    private static int indexOf(byte[] in, byte[] what, int from) {
        for (int i = from; i + what.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private Path write(byte[] bytes) throws Exception {
        Path p = Files.createTempFile(dir, "bolt", ".db");
        Files.write(p, bytes);
        return p;
    }
}
