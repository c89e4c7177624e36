package io.etcdj.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.server.EtcdError;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The refusals etcd 3.4.23 gives jetcd for adds and updates (JetcdErrorsDifferentialTest shows them live). */
class MembershipChangeRulesTest {
    private final Membership membership = new Membership(42, List.of(
            new Member(1, "m1", List.of("http://a:2380"), List.of(), false)), List.of());

    @Test
    void theSameIdIsRefusedBeforeItsPeerUrlsAndARemovedIdIsNotFound() {
        membership.apply(add(2, "http://b:2380", true));
        // the same URLs added again within the second hash to the same ID
        assertThat(MembershipChangeRules.mayAdd(membership, learner(2, "http://b:2380"))).isEqualTo(EtcdError.MEMBER_EXIST);
        assertThat(MembershipChangeRules.mayAdd(membership, learner(3, "http://b:2380"))).isEqualTo(EtcdError.PEER_URL_EXIST);
        membership.apply(ConfChange.newBuilder().setType(ConfChangeType.ConfChangeRemoveNode).setNodeId(2).build());
        assertThat(MembershipChangeRules.mayAdd(membership, learner(2, "http://b:2380"))).isEqualTo(EtcdError.MEMBER_NOT_FOUND);
        assertThat(MembershipChangeRules.mayAdd(membership, learner(3, "http://b:2380"))).isNull();
    }

    @Test
    void oneLearnerAtATimeButVotersStillJoin() {
        membership.apply(add(2, "http://b:2380", true));
        assertThat(MembershipChangeRules.mayAdd(membership, learner(3, "http://c:2380"))).isEqualTo(EtcdError.TOO_MANY_LEARNERS);
        assertThat(MembershipChangeRules.mayAdd(membership, new Member(3, "", List.of("http://c:2380"), List.of(), false)))
                .isNull();
    }

    @Test
    void anUpdateMayKeepItsOwnPeerUrlsButNotTakeAnothers() {
        membership.apply(add(2, "http://b:2380", true));
        assertThat(MembershipChangeRules.mayUpdate(membership, 2, List.of("http://b:2380"))).isNull();
        assertThat(MembershipChangeRules.mayUpdate(membership, 2, List.of("http://b:2380", "http://a:2380")))
                .isEqualTo(EtcdError.PEER_URL_EXIST);
        assertThat(MembershipChangeRules.mayUpdate(membership, 9, List.of("http://z:2380"))).isEqualTo(EtcdError.MEMBER_NOT_FOUND);
    }

    private static Member learner(long id, String peerUrl) {
        return new Member(id, "", List.of(peerUrl), List.of(), true);
    }

    private static ConfChange add(long id, String peerUrl, boolean learner) {
        return ConfChange.newBuilder()
                .setType(learner ? ConfChangeType.ConfChangeAddLearnerNode : ConfChangeType.ConfChangeAddNode)
                .setNodeId(id)
                .setContext(new Member(id, "", List.of(peerUrl), List.of(), learner).toRecord().toByteString()).build();
    }
}
