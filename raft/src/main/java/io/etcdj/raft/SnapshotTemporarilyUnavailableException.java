package io.etcdj.raft;

/** The storage cannot produce a snapshot right now; the leader retries on a later occasion. */
public final class SnapshotTemporarilyUnavailableException extends RaftException {
  public SnapshotTemporarilyUnavailableException() {
    super("snapshot is temporarily unavailable");
  }
}
