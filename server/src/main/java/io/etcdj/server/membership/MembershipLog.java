package io.etcdj.server.membership;

import io.etcdj.raft.pb.ConfChange;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each applied membership change with etcd's messages and field names: "added member",
 * "promote member", "removed member", "updated member" (IDs in lower-case hex). Every member logs
 * every change it applies, replays after a restart included, as etcd does.
 */
public final class MembershipLog {
    private static final Logger log = LoggerFactory.getLogger(MembershipLog.class);

    private MembershipLog() {}

    /**
     * @param before the member as it was before {@code cc} was applied (null if it was not a member)
     * @param membership the membership after {@code cc}
     */
    public static void changed(long selfId, Membership membership, ConfChange cc, Member before) {
        Member after = membership.member(cc.getNodeId());
        String cluster = Long.toHexString(membership.clusterId());
        String self = Long.toHexString(selfId);
        String peer = Long.toHexString(cc.getNodeId());
        switch (cc.getType()) {
            case ConfChangeAddNode, ConfChangeAddLearnerNode -> {
                if (before == null && after != null) {
                    log.atInfo().setMessage("added member").addKeyValue("cluster-id", cluster)
                            .addKeyValue("local-member-id", self).addKeyValue("added-peer-id", peer)
                            .addKeyValue("added-peer-peer-urls", after.peerUrls())
                            .addKeyValue("added-peer-is-learner", after.learner()).log();
                } else if (before != null && before.learner() && after != null && !after.learner()) {
                    log.atInfo().setMessage("promote member").addKeyValue("cluster-id", cluster)
                            .addKeyValue("local-member-id", self).addKeyValue("promoted-member-id", peer).log();
                }
            }
            case ConfChangeRemoveNode -> log.atInfo().setMessage("removed member").addKeyValue("cluster-id", cluster)
                    .addKeyValue("local-member-id", self).addKeyValue("removed-remote-peer-id", peer)
                    .addKeyValue("removed-remote-peer-urls", before == null ? List.of() : before.peerUrls())
                    .log();
            case ConfChangeUpdateNode -> {
                if (after != null) {
                    log.atInfo().setMessage("updated member").addKeyValue("cluster-id", cluster)
                            .addKeyValue("local-member-id", self).addKeyValue("updated-remote-peer-id", peer)
                            .addKeyValue("updated-remote-peer-urls", after.peerUrls()).log();
                }
            }
            default -> { }
        }
    }
}
