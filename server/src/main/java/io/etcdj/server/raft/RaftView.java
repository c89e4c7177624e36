package io.etcdj.server.raft;

import io.etcdj.raft.StateRole;

/**
 * The raft figures other threads may read without asking the loop: written only by the raft-loop
 * thread, each field individually volatile (a reader may see a leader from one Ready and a term
 * from the next; nothing depends on them being read together).
 */
public final class RaftView {
    private volatile long leader;
    private volatile StateRole role = StateRole.FOLLOWER;
    private volatile long term;
    private volatile long commitIndex;
    private volatile long lastIndex;

    public long leader() {
        return leader;
    }

    public StateRole role() {
        return role;
    }

    public boolean isLeader() {
        return role == StateRole.LEADER;
    }

    public long term() {
        return term;
    }

    public long commitIndex() {
        return commitIndex;
    }

    public long lastIndex() {
        return lastIndex;
    }

    void setSoftState(long leader, StateRole role) {
        this.leader = leader;
        this.role = role;
    }

    void setHardState(long term, long commitIndex) {
        this.term = term;
        this.commitIndex = commitIndex;
    }

    void setLastIndex(long lastIndex) {
        this.lastIndex = lastIndex;
    }
}
