package io.etcdj.wal;

/**
 * The index and term of a raft snapshot, as recorded in the WAL so that replay can start from
 * it. {@link #ZERO} (index 0, term 0) is the start of a log that never had a snapshot; every
 * WAL holds it in its first segment.
 */
public record SnapshotMarker(long index, long term) {
  public static final SnapshotMarker ZERO = new SnapshotMarker(0, 0);

  public SnapshotMarker {
    if (index < 0 || term < 0) {
      throw new IllegalArgumentException("negative snapshot index or term: " + index + "/" + term);
    }
  }
}
