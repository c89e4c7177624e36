package io.etcdj.raft;

/** How the leader currently replicates to one follower. */
public enum ProgressState {
  /** At most one append in flight, until the follower's match index is found. */
  PROBE,
  /** Appends are pipelined optimistically, bounded by the in-flight window. */
  REPLICATE,
  /** A snapshot is in flight; nothing else is sent until it is reported. */
  SNAPSHOT
}
