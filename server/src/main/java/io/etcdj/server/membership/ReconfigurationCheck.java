package io.etcdj.server.membership;

import io.etcdj.server.EtcdError;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * etcd's {@code --strict-reconfig-check} (on by default): a membership change that could leave the
 * cluster without a quorum of started, connected members is refused before it is proposed.
 * <ul>
 *   <li>adding a voting member needs a quorum of the grown cluster to have started (published
 *       themselves; a one-member cluster may always grow to two), and adding any member needs every
 *       voting member linked to this one for the last 5 s ("unhealthy cluster" otherwise);</li>
 *   <li>removing a voting member needs a quorum of the others started and, unless the removed one is
 *       down, a quorum of the rest still connected;</li>
 *   <li>promoting a learner needs a quorum of the grown voting set started.</li>
 * </ul>
 * A member "started" once it published its name: bootstrap members have one from the start.
 */
public final class ReconfigurationCheck {
    /** etcd's HealthInterval: how long links must have been up. */
    static final long HEALTH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What this member knows of its links. */
    @FunctionalInterface
    public interface Links {
        /** Whether the link to {@code peerId} has been up since {@code sinceNanos} (System.nanoTime()). */
        boolean connectedSince(long peerId, long sinceNanos);
    }

    private final boolean enabled;
    private final long selfId;
    private final Membership membership;
    private final Links links;

    public ReconfigurationCheck(boolean enabled, long selfId, Membership membership, Links links) {
        this.enabled = enabled;
        this.selfId = selfId;
        this.membership = membership;
        this.links = links;
    }

    /** Null when a member may be added, else etcd's refusal. */
    public EtcdError mayAdd(boolean learner) {
        if (!enabled) {
            return null;
        }
        List<Member> voting = voting();
        if (!learner) {
            int members = voting.size() + 1;
            long started = voting.stream().filter(ReconfigurationCheck::started).count();
            boolean growingOneToTwo = started == 1 && members == 2;
            if (!growingOneToTwo && started < members / 2 + 1) {
                return EtcdError.NOT_ENOUGH_STARTED_MEMBERS;
            }
        }
        long since = System.nanoTime() - HEALTH_INTERVAL_NANOS;
        return connected(voting, since) == voting.size() ? null : EtcdError.UNHEALTHY;
    }

    /** Null when member {@code id} may be removed, else etcd's refusal. */
    public EtcdError mayRemove(long id) {
        Member removed = membership.member(id);
        if (!enabled || (removed != null && removed.learner())) {
            return null;
        }
        List<Member> others = voting().stream().filter(m -> m.id() != id).toList();
        long started = others.stream().filter(ReconfigurationCheck::started).count();
        if (started < others.size() / 2 + 1) {
            return EtcdError.NOT_ENOUGH_STARTED_MEMBERS;
        }
        long now = System.nanoTime();
        long since = now - HEALTH_INTERVAL_NANOS;
        if (id != selfId && !links.connectedSince(id, now)) {
            return null; // a member that is down is no part of the active quorum
        }
        List<Member> voting = voting();
        long active = connected(voting, since);
        return active - 1 < 1 + (voting.size() - 1) / 2 ? EtcdError.UNHEALTHY : null;
    }

    /** Null when learner {@code id} may be promoted, else etcd's refusal. */
    public EtcdError mayPromote(long id) {
        if (!enabled) {
            return null;
        }
        List<Member> voting = voting();
        int members = voting.size() + 1;
        long started = 1 + voting.stream().filter(ReconfigurationCheck::started).count();
        return started < members / 2 + 1 ? EtcdError.NOT_ENOUGH_STARTED_MEMBERS : null;
    }

    private List<Member> voting() {
        return membership.members().stream().filter(m -> !m.learner()).toList();
    }

    private long connected(List<Member> members, long sinceNanos) {
        return members.stream().filter(m -> m.id() == selfId || links.connectedSince(m.id(), sinceNanos)).count();
    }

    private static boolean started(Member m) {
        return !m.name().isEmpty();
    }
}
