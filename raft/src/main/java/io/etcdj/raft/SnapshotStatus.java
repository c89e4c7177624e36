package io.etcdj.raft;

/** Outcome of sending a snapshot to a follower, reported back with {@link RawNode#reportSnapshot}. */
public enum SnapshotStatus {
  FINISH,
  FAILURE
}
