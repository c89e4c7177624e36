package io.etcdj.mvcc.index;

import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A sorted map from byte-array keys (unsigned byte order) to values, as a B+-tree: the entries sit in
 * leaves, {@code capacity} key and value slots each, linked left to right; inner nodes route by
 * separator keys. Per entry this costs two array slots instead of a {@link java.util.TreeMap}'s 40-byte
 * entry object, which matters for the key index's one entry per key.
 *
 * <p>Invariants: every leaf is at the same depth; in every leaf {@code keys[0..count)} is strictly
 * increasing; in an inner node with {@code count} children, {@code separators[0..count-1)} is strictly
 * increasing and every key below child i is {@code < separators[i]} and {@code >= separators[i - 1]};
 * the leaves' {@code next} links visit every entry in key order. Leaves may be empty (entries are
 * removed in place, see {@link #replaceAll}). Keys are never copied: callers must not change them.
 * Not thread-safe.
 */
final class ByteKeyBTree<V> {
    static final int DEFAULT_CAPACITY = 64;

    private final int capacity;
    private Object root;
    private Leaf first;
    private int leafCount;
    private int size;

    private static final class Leaf {
        final byte[][] keys;
        final Object[] values;
        int count;
        Leaf next;

        Leaf(int capacity) {
            keys = new byte[capacity][];
            values = new Object[capacity];
        }
    }

    private static final class Inner {
        final byte[][] separators;
        final Object[] children;
        int count;

        Inner(int capacity) {
            separators = new byte[capacity - 1][];
            children = new Object[capacity];
        }
    }

    /**
     * What a node's split hands its parent: the new right sibling and the separator between the two
     * (every key below the right node is {@code >=} it, every key below the left one {@code <} it).
     */
    private record Split(byte[] separator, Object right) {
    }

    /** A tree whose nodes hold at most {@code capacity} (at least 3) entries or children. */
    ByteKeyBTree(int capacity) {
        if (capacity < 3) {
            throw new IllegalArgumentException("node capacity " + capacity + " < 3");
        }
        this.capacity = capacity;
        clear();
    }

    private void clear() {
        first = new Leaf(capacity);
        root = first;
        leafCount = 1;
        size = 0;
    }

    int size() {
        return size;
    }

    /** Index of the first of {@code keys[0..count)} that is {@code >= key} (or, with {@code after}, {@code > key}). */
    private static int search(byte[][] keys, int count, byte[] key, boolean after) {
        int lo = 0;
        int hi = count;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compareUnsigned(keys[mid], key);
            if (c < 0 || after && c == 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private Leaf leafFor(byte[] key) {
        Object node = root;
        while (node instanceof Inner in) {
            node = in.children[search(in.separators, in.count - 1, key, true)];
        }
        return (Leaf) node;
    }

    @SuppressWarnings("unchecked")
    V get(byte[] key) {
        Leaf leaf = leafFor(key);
        int i = search(leaf.keys, leaf.count, key, false);
        return i < leaf.count && Arrays.equals(leaf.keys[i], key) ? (V) leaf.values[i] : null;
    }

    /**
     * Stores {@code f(key, current value or null)} for {@code key}; a null result leaves an absent key
     * absent, and must not be returned for a present one. {@code f} must not change the tree; if it
     * throws, nothing changes.
     */
    void compute(byte[] key, BiFunction<byte[], V, V> f) {
        Split split = compute(root, key, f);
        if (split != null) {
            Inner top = new Inner(capacity);
            top.children[0] = root;
            top.children[1] = split.right();
            top.separators[0] = split.separator();
            top.count = 2;
            root = top;
        }
    }

    @SuppressWarnings("unchecked")
    private Split compute(Object node, byte[] key, BiFunction<byte[], V, V> f) {
        if (node instanceof Inner in) {
            int c = search(in.separators, in.count - 1, key, true);
            Split below = compute(in.children[c], key, f);
            return below == null ? null : insertChild(in, c + 1, below);
        }
        Leaf leaf = (Leaf) node;
        int i = search(leaf.keys, leaf.count, key, false);
        if (i < leaf.count && Arrays.equals(leaf.keys[i], key)) {
            leaf.values[i] = f.apply(leaf.keys[i], (V) leaf.values[i]);
            return null;
        }
        V value = f.apply(key, null);
        return value == null ? null : insertEntry(leaf, i, key, value);
    }

    private Split insertEntry(Leaf leaf, int i, byte[] key, Object value) {
        size++;
        if (leaf.count < capacity) {
            shiftIn(leaf.keys, leaf.values, leaf.count, i, key, value);
            leaf.count++;
            return null;
        }
        Leaf right = new Leaf(capacity);
        leafCount++;
        int keepLeft = keepLeft(leaf.next == null, i);
        moveTail(leaf.keys, leaf.values, keepLeft, capacity, right.keys, right.values);
        right.count = capacity - keepLeft;
        leaf.count = keepLeft;
        right.next = leaf.next;
        leaf.next = right;
        Leaf target = i < keepLeft ? leaf : right;
        int at = i < keepLeft ? i : i - keepLeft;
        shiftIn(target.keys, target.values, target.count, at, key, value);
        target.count++;
        return new Split(right.keys[0], right);
    }

    /** Child {@code split.right} goes at index {@code c} of {@code in}, after separator {@code split.separator}. */
    private Split insertChild(Inner in, int c, Split split) {
        if (in.count < capacity) {
            System.arraycopy(in.children, c, in.children, c + 1, in.count - c);
            in.children[c] = split.right();
            System.arraycopy(in.separators, c - 1, in.separators, c, in.count - c);
            in.separators[c - 1] = split.separator();
            in.count++;
            return null;
        }
        // Lay the capacity + 1 children and their separators out, then cut them into two nodes.
        byte[][] separators = Arrays.copyOf(in.separators, capacity);
        Object[] children = Arrays.copyOf(in.children, capacity + 1);
        System.arraycopy(separators, c - 1, separators, c, capacity - c);
        separators[c - 1] = split.separator();
        System.arraycopy(children, c, children, c + 1, capacity - c);
        children[c] = split.right();
        int keepLeft = keepLeft(c == capacity && isRightmost(in), c);
        Inner right = new Inner(capacity);
        right.count = capacity + 1 - keepLeft;
        System.arraycopy(children, keepLeft, right.children, 0, right.count);
        System.arraycopy(separators, keepLeft, right.separators, 0, right.count - 1);
        in.count = keepLeft;
        System.arraycopy(children, 0, in.children, 0, keepLeft);
        System.arraycopy(separators, 0, in.separators, 0, keepLeft - 1);
        Arrays.fill(in.children, keepLeft, capacity, null);
        Arrays.fill(in.separators, keepLeft - 1, capacity - 1, null);
        return new Split(separators[keepLeft - 1], right);
    }

    /**
     * How many entries a full node keeps when it splits: half, except when the insertion is at the
     * very right of the tree (keys arriving in order), where the left node stays full.
     */
    private int keepLeft(boolean rightmost, int insertAt) {
        return rightmost && insertAt == capacity ? capacity : (capacity + 1) / 2;
    }

    private boolean isRightmost(Inner in) {
        Object node = root;
        while (node instanceof Inner n && n != in) {
            node = n.children[n.count - 1];
        }
        return node == in;
    }

    private static void shiftIn(byte[][] keys, Object[] values, int count, int i, byte[] key, Object value) {
        System.arraycopy(keys, i, keys, i + 1, count - i);
        System.arraycopy(values, i, values, i + 1, count - i);
        keys[i] = key;
        values[i] = value;
    }

    private static void moveTail(byte[][] keys, Object[] values, int from, int to, byte[][] toKeys,
            Object[] toValues) {
        System.arraycopy(keys, from, toKeys, 0, to - from);
        System.arraycopy(values, from, toValues, 0, to - from);
        Arrays.fill(keys, from, to, null);
        Arrays.fill(values, from, to, null);
    }

    /** Visits the values of the keys {@code from <= key < to} in key order ({@code to == null}: no upper bound). */
    @SuppressWarnings("unchecked")
    void forEachValue(byte[] from, byte[] to, Consumer<V> visit) {
        Leaf leaf = leafFor(from);
        int i = search(leaf.keys, leaf.count, from, false);
        for (; leaf != null; leaf = leaf.next, i = 0) {
            for (; i < leaf.count; i++) {
                if (to != null && Arrays.compareUnsigned(leaf.keys[i], to) >= 0) {
                    return;
                }
                visit.accept((V) leaf.values[i]);
            }
        }
    }

    /**
     * Replaces every value {@code v} by {@code f(v)} and removes the entries for which that is null.
     * Removal is in place; when the leaves end up less than half full on average the tree is rebuilt
     * from its entries.
     */
    @SuppressWarnings("unchecked")
    void replaceAll(UnaryOperator<V> f) {
        for (Leaf leaf = first; leaf != null; leaf = leaf.next) {
            int kept = 0;
            for (int i = 0; i < leaf.count; i++) {
                V v = f.apply((V) leaf.values[i]);
                if (v != null) {
                    leaf.keys[kept] = leaf.keys[i];
                    leaf.values[kept] = v;
                    kept++;
                }
            }
            size -= leaf.count - kept;
            Arrays.fill(leaf.keys, kept, leaf.count, null);
            Arrays.fill(leaf.values, kept, leaf.count, null);
            leaf.count = kept;
        }
        if (leafCount > 1 && 2L * size < (long) leafCount * capacity) {
            rebuild();
        }
    }

    /** Re-inserts every entry in key order into a new tree, whose leaves are then full. */
    @SuppressWarnings("unchecked")
    private void rebuild() {
        Leaf old = first;
        clear();
        for (; old != null; old = old.next) {
            for (int i = 0; i < old.count; i++) {
                Object v = old.values[i];
                compute(old.keys[i], (k, absent) -> (V) v);
            }
        }
    }
}
