package io.etcdj.mvcc.backend.bbolt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One depth-first pass over a bbolt file's buckets. A bucket's value in its parent is a 16-byte header
 * (u64 root page, u64 sequence); a root page of 0 means the bucket is inline: its single leaf page
 * follows the header inside the value.
 *
 * <p>Invariants checked, each a {@link BboltFormatException} when broken: no page is reached twice
 * (bbolt never shares pages, so this also rules out cycles); a bucket's tree is at most
 * {@value #MAX_TREE_DEPTH} pages deep and buckets nest at most {@value #MAX_BUCKET_DEPTH} deep; keys
 * within a bucket strictly increase.
 */
final class BboltWalk {
    static final int MAX_TREE_DEPTH = 64;
    static final int MAX_BUCKET_DEPTH = 64;
    private static final int BUCKET_HEADER_SIZE = 16;

    private final BboltFile file;
    private final BboltFile.Visitor visitor;
    private final Set<Long> seen = new HashSet<>();

    BboltWalk(BboltFile file, BboltFile.Visitor visitor) {
        this.file = file;
        this.visitor = visitor;
    }

    void walkRoot(long rootPage) throws IOException {
        walkTree(List.of(), fresh(rootPage, "the meta page"));
    }

    /** Visits the bucket {@code path} whose header and inline page (if any) are {@code value}. */
    private void walkBucket(List<byte[]> path, byte[] value, String where) throws IOException {
        if (path.size() > MAX_BUCKET_DEPTH) {
            throw new BboltFormatException(where + ": buckets nested deeper than " + MAX_BUCKET_DEPTH);
        }
        if (value.length < BUCKET_HEADER_SIZE) {
            throw new BboltFormatException(where + ": bucket " + name(path) + " has a " + value.length
                    + "-byte header");
        }
        long root = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        BboltPage page = root != 0
                ? fresh(root, "bucket " + name(path))
                : new BboltPage("inline bucket " + name(path) + " in " + where,
                        ByteBuffer.wrap(value, BUCKET_HEADER_SIZE, value.length - BUCKET_HEADER_SIZE));
        walkTree(path, page);
    }

    private void walkTree(List<byte[]> path, BboltPage top) throws IOException {
        walkPage(path, top, 0, new byte[1][]);
    }

    /** @param lastKey the bucket's last key visited so far (one slot, null before the first) */
    private void walkPage(List<byte[]> path, BboltPage page, int depth, byte[][] lastKey) throws IOException {
        if (depth >= MAX_TREE_DEPTH) {
            throw new BboltFormatException(page.name() + ": tree deeper than " + MAX_TREE_DEPTH + " pages");
        }
        for (int i = 0; i < page.count(); i++) {
            if (page.isBranch()) {
                walkPage(path, fresh(page.child(i), page.name()), depth + 1, lastKey);
                continue;
            }
            byte[] key = page.key(i);
            if (lastKey[0] != null && Arrays.compareUnsigned(lastKey[0], key) >= 0) {
                throw new BboltFormatException(page.name() + ": keys out of order in bucket " + name(path));
            }
            lastKey[0] = key;
            if (!page.isBucket(i)) {
                visitor.entry(path, key, page.value(i));
            } else if (visitor.bucket(path, key)) {
                List<byte[]> nested = new ArrayList<>(path);
                nested.add(key);
                walkBucket(List.copyOf(nested), page.value(i), page.name());
            }
        }
    }

    private BboltPage fresh(long id, String from) throws IOException {
        if (!seen.add(id)) {
            throw new BboltFormatException(from + " refers to page " + id + ", which was already visited");
        }
        return file.page(id, from);
    }

    private static String name(List<byte[]> path) {
        if (path.isEmpty()) {
            return "(root)";
        }
        StringBuilder s = new StringBuilder();
        for (byte[] p : path) {
            s.append(s.length() == 0 ? "" : "/").append(new String(p, StandardCharsets.UTF_8));
        }
        return "\"" + s + "\"";
    }
}
