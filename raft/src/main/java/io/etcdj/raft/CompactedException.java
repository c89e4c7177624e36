package io.etcdj.raft;

/** The requested index lies before the first index still held by the storage (it was compacted away). */
public final class CompactedException extends RaftException {
  public CompactedException() {
    super("requested index is unavailable due to compaction");
  }
}
