package io.etcdj.server.membership;

import io.etcdj.server.EtcdError;
import java.util.List;

/**
 * etcd's checks of a membership change against the current members, made before the change is
 * proposed (etcd makes them as it applies the change; a client sees the same error either way):
 * <ul>
 *   <li>an added member's ID (hashed from its peer URLs and the time in seconds, so the same URLs
 *       added twice within a second give the same ID) must be new: a removed ID is "member not
 *       found", a present one "member ID already exist" — checked before the URLs, as etcd does;</li>
 *   <li>no peer URL of an added or updated member may be another member's ("Peer URLs already
 *       exists"; an updated member may keep its own);</li>
 *   <li>at most {@link #MAX_LEARNERS} learner at a time (etcd 3.4/3.5's fixed limit).</li>
 * </ul>
 */
public final class MembershipChangeRules {
    /** etcd 3.4 and 3.5 allow one learner in the cluster. */
    public static final int MAX_LEARNERS = 1;

    private MembershipChangeRules() {
    }

    /** Null when {@code candidate} may be added, else etcd's refusal. */
    public static EtcdError mayAdd(Membership membership, Member candidate) {
        if (membership.isRemoved(candidate.id())) {
            return EtcdError.MEMBER_NOT_FOUND;
        }
        if (membership.member(candidate.id()) != null) {
            return EtcdError.MEMBER_EXIST;
        }
        if (sharesPeerUrl(membership, candidate.id(), candidate.peerUrls())) {
            return EtcdError.PEER_URL_EXIST;
        }
        long learners = membership.members().stream().filter(Member::learner).count();
        return candidate.learner() && learners + 1 > MAX_LEARNERS ? EtcdError.TOO_MANY_LEARNERS : null;
    }

    /** Null when member {@code id} may take {@code peerUrls}, else etcd's refusal. */
    public static EtcdError mayUpdate(Membership membership, long id, List<String> peerUrls) {
        if (membership.member(id) == null) {
            return EtcdError.MEMBER_NOT_FOUND;
        }
        return sharesPeerUrl(membership, id, peerUrls) ? EtcdError.PEER_URL_EXIST : null;
    }

    private static boolean sharesPeerUrl(Membership membership, long id, List<String> peerUrls) {
        return membership.members().stream()
                .filter(m -> m.id() != id)
                .anyMatch(m -> m.peerUrls().stream().anyMatch(peerUrls::contains));
    }
}
