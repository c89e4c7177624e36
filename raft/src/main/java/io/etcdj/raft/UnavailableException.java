package io.etcdj.raft;

/** The requested index lies after the last index the storage holds. */
public final class UnavailableException extends RaftException {
  public UnavailableException() {
    super("requested entry at index is unavailable");
  }
}
