package io.etcdj.raft;

/** How a leader confirms that it may serve a read at its commit index. */
public enum ReadOnlyOption {
  /** Confirm leadership with one heartbeat round acknowledged by a quorum (linearizable). */
  SAFE,
  /**
   * Trust the leader lease kept by check-quorum; no round trip. Correct only under bounded clock
   * drift, hence it requires {@code checkQuorum}.
   */
  LEASE_BASED
}
