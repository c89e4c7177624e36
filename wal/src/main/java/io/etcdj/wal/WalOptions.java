package io.etcdj.wal;

/**
 * How a WAL is laid out and retained.
 *
 * @param segmentBytes the preallocated size of a segment; etcd's 64,000,000 by default (tests
 *     use small ones)
 * @param maxWals {@code --max-wals}: purging keeps at least this many segment files; 0 keeps
 *     all of them (etcd's "0 is unlimited")
 */
public record WalOptions(long segmentBytes, int maxWals) {
  public static final int DEFAULT_MAX_WALS = 5;
  public static final WalOptions DEFAULTS =
      new WalOptions(WalFormat.DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_WALS);

  public WalOptions {
    if (segmentBytes < 4096) {
      throw new IllegalArgumentException("segmentBytes must be at least 4096: " + segmentBytes);
    }
    if (maxWals < 0) {
      throw new IllegalArgumentException("maxWals must be >= 0: " + maxWals);
    }
  }

  public WalOptions withSegmentBytes(long bytes) {
    return new WalOptions(bytes, maxWals);
  }

  public WalOptions withMaxWals(int max) {
    return new WalOptions(segmentBytes, max);
  }
}
