package io.etcdj.raft;

/**
 * A proposal was not accepted: there is no known leader, a leadership transfer is in progress,
 * the uncommitted-size limit is reached, forwarding to the leader is disabled, or this member
 * is no longer part of the group. The caller may retry later. The message is etcd's.
 */
public final class ProposalDroppedException extends RaftException {
  public ProposalDroppedException() {
    super("raft proposal dropped");
  }
}
