package io.etcdj.raft;

/**
 * The window of appends in flight to one follower in {@link ProgressState#REPLICATE}: the last
 * index of each outstanding MsgApp with its byte size, oldest first, in a ring buffer.
 *
 * <p>Invariants: indexes are strictly increasing from oldest to newest; {@code count <= capacity};
 * the window is full when it holds {@code capacity} messages or {@code maxBytes} bytes.
 */
final class Inflights {
  private final int capacity;
  private final long maxBytes;
  private final long[] indexes;
  private final long[] sizes;
  private int start;
  private int count;
  private long bytes;

  Inflights(int capacity, long maxBytes) {
    this.capacity = capacity;
    this.maxBytes = maxBytes;
    this.indexes = new long[capacity];
    this.sizes = new long[capacity];
  }

  /** Records a MsgApp whose last entry is {@code index}. @throws IllegalStateException if full */
  void add(long index, long size) {
    if (full()) {
      throw new IllegalStateException("cannot add into a full inflights");
    }
    int next = (start + count) % capacity;
    indexes[next] = index;
    sizes[next] = size;
    count++;
    bytes += size;
  }

  /** Frees every message whose last index is {@code <= to} (acknowledged). */
  void freeLE(long to) {
    while (count > 0 && indexes[start] <= to) {
      bytes -= sizes[start];
      start = (start + 1) % capacity;
      count--;
    }
    if (count == 0) {
      start = 0;
    }
  }

  /** Frees the oldest message (used when acks may have been lost). */
  void freeFirstOne() {
    if (count > 0) {
      freeLE(indexes[start]);
    }
  }

  boolean full() {
    return count == capacity || (maxBytes > 0 && bytes >= maxBytes);
  }

  int count() {
    return count;
  }

  void reset() {
    start = 0;
    count = 0;
    bytes = 0;
  }
}
