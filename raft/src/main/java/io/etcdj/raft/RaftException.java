package io.etcdj.raft;

/** Base of every error the raft module reports. Unchecked: callers decide which ones they handle. */
public class RaftException extends RuntimeException {
  public RaftException(String message) {
    super(message);
  }
}
