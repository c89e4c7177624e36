package io.etcdj.server;

import io.etcdj.server.membership.Member;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.membership.ReconfigurationCheck;
import io.etcdj.server.raft.RaftListener;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Why a proposal that raft took was not applied within the request timeout, in etcd's words:
 * <ul>
 *   <li>"possibly due to previous leader failure" when it was made within two election timeouts
 *       before the current leader was elected (the old leader likely died holding it);</li>
 *   <li>"possibly due to connection lost" when this member leads but has not been linked to a
 *       quorum of the members since the proposal was made, or follows a leader it has not been
 *       linked to since then;</li>
 *   <li>plain "request timed out" otherwise, and while no leader is known.</li>
 * </ul>
 */
final class ProposalTimeoutReason implements RaftListener {
    private static final long NEVER = Long.MIN_VALUE;

    private final long selfId;
    private final Membership membership;
    private final ReconfigurationCheck.Links links;
    private final LongSupplier leader;
    private final LongSupplier nanoClock;
    private final long twoElectionTimeoutsNanos;
    /** When the current leader became known here (System.nanoTime), or {@link #NEVER}. */
    private volatile long leaderElectedAt = NEVER;

    ProposalTimeoutReason(long selfId, Membership membership, ReconfigurationCheck.Links links, LongSupplier leader,
                          Duration electionTimeout, LongSupplier nanoClock) {
        this.selfId = selfId;
        this.membership = membership;
        this.links = links;
        this.leader = leader;
        this.nanoClock = nanoClock;
        this.twoElectionTimeoutsNanos = electionTimeout.multipliedBy(2).toNanos();
    }

    @Override
    public void onLeaderChange(long newLeader, long term) {
        if (newLeader != 0) {
            leaderElectedAt = nanoClock.getAsLong();
        }
    }

    /** The error for a proposal made at {@code proposedAt} (System.nanoTime) that timed out. */
    EtcdError of(long proposedAt) {
        long elected = leaderElectedAt;
        if (elected != NEVER && proposedAt - (elected - twoElectionTimeoutsNanos) > 0 && proposedAt - elected < 0) {
            return EtcdError.TIMEOUT_DUE_TO_LEADER_FAIL;
        }
        long lead = leader.getAsLong();
        if (lead == 0) {
            return EtcdError.TIMEOUT;
        }
        boolean linked = lead == selfId ? linkedToQuorumSince(proposedAt) : links.connectedSince(lead, proposedAt);
        return linked ? EtcdError.TIMEOUT : EtcdError.TIMEOUT_DUE_TO_CONNECTION_LOST;
    }

    /** This member and the members linked to it since {@code since} are a majority of all members. */
    private boolean linkedToQuorumSince(long since) {
        var members = membership.members();
        long linked = members.stream().map(Member::id)
                .filter(id -> id == selfId || links.connectedSince(id, since)).count();
        return linked >= members.size() / 2 + 1;
    }
}
