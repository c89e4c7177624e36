package io.etcdj.raft;

/** The role a member plays in its current term. */
public enum StateRole {
  FOLLOWER,
  PRE_CANDIDATE,
  CANDIDATE,
  LEADER
}
