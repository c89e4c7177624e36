package io.etcdj.raft;

/**
 * A copy of the leader's view of one member, as reported in {@link Status}.
 *
 * @param match highest index known to be durable on the member
 * @param next next index the leader will send
 * @param recentActive whether the member was heard from since the last check-quorum interval
 * @param pendingSnapshot index of the snapshot in flight (0 if none)
 */
public record PeerProgress(
    long match,
    long next,
    ProgressState state,
    boolean recentActive,
    boolean learner,
    long pendingSnapshot,
    int inflight) {}
