package io.etcdj.raft;

/** A snapshot older than (or as old as) the one the storage already holds was offered. */
public final class SnapshotOutOfDateException extends RaftException {
  public SnapshotOutOfDateException() {
    super("requested index is older than the existing snapshot");
  }
}
