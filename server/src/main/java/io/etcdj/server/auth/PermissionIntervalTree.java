package io.etcdj.server.auth;

import com.google.protobuf.ByteString;
import java.util.Comparator;

/**
 * The permitted keys of one user and one permission type, kept the way etcd keeps them so that
 * every question gets etcd's answer: a red-black interval tree (insertion as in Cormen et al.,
 * chapter 13, each node also holding the largest end below it, chapter 14.3), keyed by interval
 * start, built by inserting the permissions one by one in the order given.
 *
 * <p>Why a copy of etcd's structure and not just the union of the intervals: for a well-formed
 * request both answer the same, but a request range whose end sorts below its start (a no-op
 * range that etcd still checks) is judged by what etcd's pruned in-order walk of the tree reaches,
 * and that depends on the tree's shape — its rotations, and the order the permissions went in.
 *
 * <p>Bounds compare as etcd's "affine" byte strings: unsigned byte order, except that the empty
 * string sorts above every other (it stands for "no upper bound"). Intervals are [begin, end).
 * Invariants: the tree is a valid red-black tree ordered by begin (equal begins go right); each
 * node's {@code max} is maintained exactly at the moments etcd maintains it (which is what the
 * walks prune by).
 */
final class PermissionIntervalTree {
    private static final Comparator<ByteString> BYTES = ByteString.unsignedLexicographicalComparator();
    private static final ByteString ZERO = ByteString.copyFrom(new byte[] {0});

    /** A [begin, end) interval of affine byte strings. */
    record Interval(ByteString begin, ByteString end) {
        /** The single key {@code key}: [key, key+"\0"). */
        static Interval point(ByteString key) {
            return new Interval(key, key.concat(ZERO));
        }

        /**
         * -1: this lies left of {@code other}; 1: right of it; 0: they overlap (etcd's interval
         * comparison, which calls any pair that is neither strictly left nor right overlapping).
         */
        int compareTo(Interval other) {
            if (compare(begin, other.begin) < 0 && compare(end, other.begin) <= 0) {
                return -1;
            }
            if (compare(begin, other.end) >= 0) {
                return 1;
            }
            return 0;
        }
    }

    private static final class Node {
        final Interval interval;
        ByteString max;
        Node left;
        Node right;
        Node parent;
        boolean red;

        Node(Interval interval, Node nil) {
            this.interval = interval;
            this.max = interval.end;
            this.left = nil;
            this.right = nil;
            this.parent = nil;
            this.red = true;
        }
    }

    /** The shared leaf (black, never holding an interval). */
    private final Node nil = new Node(new Interval(ByteString.EMPTY, ByteString.EMPTY), null);
    private Node root = nil;

    PermissionIntervalTree() {
        nil.red = false;
        nil.left = nil;
        nil.right = nil;
        nil.parent = nil;
    }

    /** Affine order: unsigned bytes, with the empty string above everything else. */
    static int compare(ByteString a, ByteString b) {
        if (a.isEmpty()) {
            return b.isEmpty() ? 0 : 1;
        }
        if (b.isEmpty()) {
            return -1;
        }
        return BYTES.compare(a, b);
    }

    void insert(Interval interval) {
        Node z = new Node(interval, nil);
        Node y = nil;
        Node x = root;
        while (x != nil) {
            y = x;
            x = compare(z.interval.begin, x.interval.begin) < 0 ? x.left : x.right;
        }
        z.parent = y;
        if (y == nil) {
            root = z;
        } else {
            if (compare(z.interval.begin, y.interval.begin) < 0) {
                y.left = z;
            } else {
                y.right = z;
            }
            updateMax(y);
        }
        z.red = true;
        insertFixup(z);
    }

    /** Whether some interval in the tree overlaps {@code wanted} (etcd's search for one). */
    boolean intersects(Interval wanted) {
        Node x = root;
        while (x != nil && wanted.compareTo(x.interval) != 0) {
            if (x.left != nil && compare(x.left.max, wanted.begin) > 0) {
                x = x.left;
            } else {
                x = x.right;
            }
        }
        return x != nil;
    }

    /**
     * Whether the intervals the walk reaches cover {@code wanted} without a gap: the walk visits,
     * in ascending order of begin, the nodes it finds overlapping {@code wanted}.
     */
    boolean contains(Interval wanted) {
        Coverage c = new Coverage();
        visit(root, wanted, c);
        return c.contiguous && c.minBegin != null && compare(c.maxEnd, wanted.end) >= 0
                && compare(c.minBegin, wanted.begin) <= 0;
    }

    /** What {@link #contains} gathers along its walk. */
    private static final class Coverage {
        ByteString minBegin;
        ByteString maxEnd;
        boolean contiguous = true;

        /** Takes one visited interval; false stops the walk (a gap was found). */
        boolean take(Interval iv) {
            if (minBegin == null) {
                minBegin = iv.begin;
                maxEnd = iv.end;
                return true;
            }
            if (compare(maxEnd, iv.begin) < 0) {
                contiguous = false;
                return false;
            }
            if (compare(iv.end, maxEnd) > 0) {
                maxEnd = iv.end;
            }
            return true;
        }
    }

    /** etcd's pruned in-order walk; false once the visitor asked to stop. */
    private boolean visit(Node x, Interval wanted, Coverage c) {
        if (x == nil) {
            return true;
        }
        int v = wanted.compareTo(x.interval);
        if (v < 0) {
            return visit(x.left, wanted, c);
        }
        if (v > 0) {
            if (new Interval(x.interval.begin, x.max).compareTo(wanted) == 0) {
                return visit(x.left, wanted, c) && visit(x.right, wanted, c);
            }
            return true;
        }
        return visit(x.left, wanted, c) && c.take(x.interval) && visit(x.right, wanted, c);
    }

    /** Recomputes max from {@code x} upwards, stopping at the first node whose max did not change. */
    private void updateMax(Node x) {
        while (x != nil) {
            ByteString old = x.max;
            ByteString max = x.interval.end;
            if (x.left != nil && compare(x.left.max, max) > 0) {
                max = x.left.max;
            }
            if (x.right != nil && compare(x.right.max, max) > 0) {
                max = x.right.max;
            }
            if (compare(old, max) == 0) {
                break;
            }
            x.max = max;
            x = x.parent;
        }
    }

    private void insertFixup(Node z) {
        while (z.parent.red) {
            if (z.parent == z.parent.parent.left) {
                Node uncle = z.parent.parent.right;
                if (uncle.red) {
                    uncle.red = false;
                    z.parent.red = false;
                    z.parent.parent.red = true;
                    z = z.parent.parent;
                } else {
                    if (z == z.parent.right) {
                        z = z.parent;
                        rotateLeft(z);
                    }
                    z.parent.red = false;
                    z.parent.parent.red = true;
                    rotateRight(z.parent.parent);
                }
            } else {
                Node uncle = z.parent.parent.left;
                if (uncle.red) {
                    uncle.red = false;
                    z.parent.red = false;
                    z.parent.parent.red = true;
                    z = z.parent.parent;
                } else {
                    if (z == z.parent.left) {
                        z = z.parent;
                        rotateRight(z);
                    }
                    z.parent.red = false;
                    z.parent.parent.red = true;
                    rotateLeft(z.parent.parent);
                }
            }
        }
        root.red = false;
    }

    private void rotateLeft(Node x) {
        if (x.right == nil) {
            return;
        }
        Node y = x.right;
        x.right = y.left;
        if (y.left != nil) {
            y.left.parent = x;
        }
        updateMax(x);
        replaceParent(x, y);
        y.left = x;
        updateMax(y);
    }

    private void rotateRight(Node x) {
        if (x.left == nil) {
            return;
        }
        Node y = x.left;
        x.left = y.right;
        if (y.right != nil) {
            y.right.parent = x;
        }
        updateMax(x);
        replaceParent(x, y);
        y.right = x;
        updateMax(y);
    }

    /** Puts {@code y} where {@code x} hangs, then hangs {@code x} below {@code y}. */
    private void replaceParent(Node x, Node y) {
        y.parent = x.parent;
        if (x.parent == nil) {
            root = y;
        } else {
            if (x == x.parent.left) {
                x.parent.left = y;
            } else {
                x.parent.right = y;
            }
            updateMax(x.parent);
        }
        x.parent = y;
    }
}
