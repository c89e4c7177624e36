package io.etcdj.server.membership;

import io.etcdj.server.pb.MemberRecord;
import java.util.List;

/**
 * One member of the cluster. {@code name} and {@code clientUrls} are empty until the member has
 * started and published them through raft (etcd shows such a member as "unstarted").
 */
public record Member(long id, String name, List<String> peerUrls, List<String> clientUrls, boolean learner) {
    /** The peer URL etcd gives a member it adds to a log that lacks it (a backup's new member). */
    public static final String PLACEHOLDER_PEER_URL = "http://localhost:2380";

    public Member {
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    public Member withAttributes(String newName, List<String> newClientUrls) {
        return new Member(id, newName, peerUrls, newClientUrls, learner);
    }

    public Member promoted() {
        return new Member(id, name, peerUrls, clientUrls, false);
    }

    public MemberRecord toRecord() {
        return MemberRecord.newBuilder().setId(id).setName(name).addAllPeerUrls(peerUrls)
                .addAllClientUrls(clientUrls).setIsLearner(learner).build();
    }

    /**
     * A voter with {@link #PLACEHOLDER_PEER_URL} and no name or client URLs until it publishes them:
     * how etcd records a member that {@code backup} created and {@code --force-new-cluster} adds.
     */
    public static Member placeholder(long id) {
        return new Member(id, "", List.of(PLACEHOLDER_PEER_URL), List.of(), false);
    }

    public static Member fromRecord(MemberRecord r) {
        return new Member(r.getId(), r.getName(), r.getPeerUrlsList(), r.getClientUrlsList(), r.getIsLearner());
    }

    public io.etcdj.api.etcdserverpb.Member toApi() {
        return io.etcdj.api.etcdserverpb.Member.newBuilder().setID(id).setName(name)
                .addAllPeerURLs(peerUrls).addAllClientURLs(clientUrls).setIsLearner(learner).build();
    }

    /** {@code members} as the Cluster service lists them, in the same order. */
    public static List<io.etcdj.api.etcdserverpb.Member> toApi(List<Member> members) {
        return members.stream().map(Member::toApi).toList();
    }
}
