package io.etcdj.mvcc.apply;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Go's {@code sort.Sort} as etcd 3.4.23 runs it (built with Go 1.19: pattern-defeating quicksort),
 * reimplemented so that a sorted range puts keys that compare equal (same version, same mod
 * revision, same value, ...) in the very order etcd does. The sort is not stable, but it is
 * deterministic: the same input in the same order always ends in the same output, which is why
 * reproducing the algorithm step for step reproduces etcd's order of ties. Its "random" pattern
 * breaking is an xorshift generator seeded with the length of the slice.
 *
 * <p>{@code less(i, j)} is {@code order.compare(items[i], items[j]) < 0}; a descending sort is
 * this sort with the reversed comparator, as etcd sorts {@code sort.Reverse(sorter)}.
 */
final class GoSort<T> {
    private static final int MAX_INSERTION = 12;
    private static final int SHORTEST_NINTHER = 50;
    private static final int MAX_SWAPS = 4 * 3;
    private static final int UNKNOWN = 0;
    private static final int INCREASING = 1;
    private static final int DECREASING = 2;

    private final List<T> items;
    private final Comparator<? super T> order;
    /** Swaps counted by the median choices of the current pivot selection. */
    private int swaps;

    private GoSort(List<T> items, Comparator<? super T> order) {
        this.items = items;
        this.order = order;
    }

    /** Sorts {@code items} (a mutable random-access list) in place as Go's sort.Sort would. */
    static <T> void sort(List<T> items, Comparator<? super T> order) {
        int n = items.size();
        if (n <= 1) {
            return;
        }
        new GoSort<>(items, order).pdqsort(0, n, bitLength(n));
    }

    private static int bitLength(long x) {
        return 64 - Long.numberOfLeadingZeros(x);
    }

    private boolean less(int i, int j) {
        return order.compare(items.get(i), items.get(j)) < 0;
    }

    private void swap(int i, int j) {
        Collections.swap(items, i, j);
    }

    private void insertionSort(int a, int b) {
        for (int i = a + 1; i < b; i++) {
            for (int j = i; j > a && less(j, j - 1); j--) {
                swap(j, j - 1);
            }
        }
    }

    private void siftDown(int lo, int hi, int first) {
        int root = lo;
        while (true) {
            int child = 2 * root + 1;
            if (child >= hi) {
                return;
            }
            if (child + 1 < hi && less(first + child, first + child + 1)) {
                child++;
            }
            if (!less(first + root, first + child)) {
                return;
            }
            swap(first + root, first + child);
            root = child;
        }
    }

    private void heapSort(int a, int b) {
        int first = a;
        int hi = b - a;
        for (int i = (hi - 1) / 2; i >= 0; i--) {
            siftDown(i, hi, first);
        }
        for (int i = hi - 1; i >= 0; i--) {
            swap(first, first + i);
            siftDown(0, i, first);
        }
    }

    /** Sorts [a, b); {@code limit} bad pivots are allowed before falling back to heapsort. */
    private void pdqsort(int a, int b, int limit) {
        boolean wasBalanced = true;
        boolean wasPartitioned = true;
        while (true) {
            int length = b - a;
            if (length <= MAX_INSERTION) {
                insertionSort(a, b);
                return;
            }
            if (limit == 0) {
                heapSort(a, b);
                return;
            }
            if (!wasBalanced) {
                breakPatterns(a, b);
                limit--;
            }
            int[] choice = choosePivot(a, b);
            int pivot = choice[0];
            int hint = choice[1];
            if (hint == DECREASING) {
                reverseRange(a, b);
                pivot = (b - 1) - (pivot - a);
                hint = INCREASING;
            }
            if (wasBalanced && wasPartitioned && hint == INCREASING && partialInsertionSort(a, b)) {
                return;
            }
            if (a > 0 && !less(a - 1, pivot)) {
                a = partitionEqual(a, b, pivot);
                continue;
            }
            int[] split = partition(a, b, pivot);
            int mid = split[0];
            wasPartitioned = split[1] == 1;
            int leftLen = mid - a;
            int rightLen = b - mid;
            int balanceThreshold = length / 8;
            if (leftLen < rightLen) {
                wasBalanced = leftLen >= balanceThreshold;
                pdqsort(a, mid, limit);
                a = mid + 1;
            } else {
                wasBalanced = rightLen >= balanceThreshold;
                pdqsort(mid + 1, b, limit);
                b = mid;
            }
        }
    }

    /** Returns {new pivot index, 1 if [a, b) was already partitioned else 0}. */
    private int[] partition(int a, int b, int pivot) {
        swap(a, pivot);
        int i = a + 1;
        int j = b - 1;
        while (i <= j && less(i, a)) {
            i++;
        }
        while (i <= j && !less(j, a)) {
            j--;
        }
        if (i > j) {
            swap(j, a);
            return new int[] {j, 1};
        }
        swap(i, j);
        i++;
        j--;
        while (true) {
            while (i <= j && less(i, a)) {
                i++;
            }
            while (i <= j && !less(j, a)) {
                j--;
            }
            if (i > j) {
                break;
            }
            swap(i, j);
            i++;
            j--;
        }
        swap(j, a);
        return new int[] {j, 0};
    }

    /** Elements equal to the pivot first, then greater ones (there is no smaller one in [a, b)). */
    private int partitionEqual(int a, int b, int pivot) {
        swap(a, pivot);
        int i = a + 1;
        int j = b - 1;
        while (true) {
            while (i <= j && !less(a, i)) {
                i++;
            }
            while (i <= j && less(a, j)) {
                j--;
            }
            if (i > j) {
                return i;
            }
            swap(i, j);
            i++;
            j--;
        }
    }

    /** Fixes a few out-of-order neighbours; true if [a, b) ends sorted. */
    private boolean partialInsertionSort(int a, int b) {
        final int maxSteps = 5;
        final int shortestShifting = 50;
        int i = a + 1;
        for (int step = 0; step < maxSteps; step++) {
            while (i < b && !less(i, i - 1)) {
                i++;
            }
            if (i == b) {
                return true;
            }
            if (b - a < shortestShifting) {
                return false;
            }
            swap(i, i - 1);
            if (i - a >= 2) {
                for (int j = i - 1; j >= 1; j--) {
                    if (!less(j, j - 1)) {
                        break;
                    }
                    swap(j, j - 1);
                }
            }
            if (b - i >= 2) {
                for (int j = i + 1; j < b; j++) {
                    if (!less(j, j - 1)) {
                        break;
                    }
                    swap(j, j - 1);
                }
            }
        }
        return false;
    }

    private void breakPatterns(int a, int b) {
        int length = b - a;
        if (length < 8) {
            return;
        }
        long random = length; // Go's xorshift, seeded with the length
        long modulus = 1L << bitLength(length);
        for (int idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; idx++) {
            random ^= random << 13;
            random ^= random >>> 17;
            random ^= random << 5;
            int other = (int) (random & (modulus - 1));
            if (other >= length) {
                other -= length;
            }
            swap(idx, a + other);
        }
    }

    /** Returns {pivot index, hint}: a static pivot below 8, the median of three, or Tukey's ninther from 50 on. */
    private int[] choosePivot(int a, int b) {
        int l = b - a;
        swaps = 0;
        int i = a + l / 4;
        int j = a + l / 4 * 2;
        int k = a + l / 4 * 3;
        if (l >= 8) {
            if (l >= SHORTEST_NINTHER) {
                i = median(i - 1, i, i + 1);
                j = median(j - 1, j, j + 1);
                k = median(k - 1, k, k + 1);
            }
            j = median(i, j, k);
        }
        int hint = swaps == 0 ? INCREASING : swaps == MAX_SWAPS ? DECREASING : UNKNOWN;
        return new int[] {j, hint};
    }

    /** The index of the median of the three, counting in {@link #swaps} the pairs found out of order. */
    private int median(int a, int b, int c) {
        if (less(b, a)) {
            swaps++;
            int t = a;
            a = b;
            b = t;
        }
        if (less(c, b)) {
            swaps++;
            int t = b;
            b = c;
            c = t;
        }
        if (less(b, a)) {
            swaps++;
            int t = a;
            a = b;
            b = t;
        }
        return b;
    }

    private void reverseRange(int a, int b) {
        for (int i = a, j = b - 1; i < j; i++, j--) {
            swap(i, j);
        }
    }
}
