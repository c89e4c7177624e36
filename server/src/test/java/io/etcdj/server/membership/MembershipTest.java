package io.etcdj.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.server.pb.MemberAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conf changes and published attributes shape the member list; replays are harmless. */
class MembershipTest {
    private static final long BIG = 0xcc4a03f30001902dL; // negative as a signed long

    @Test
    void membersAreListedInUnsignedIdOrderAndAddsAreIdempotent() {
        Membership m = new Membership(42, List.of(), List.of());
        m.apply(add(BIG, "http://b:2380"));
        m.apply(add(0x23284278a2d8a0e6L, "http://a:2380"));
        m.apply(add(BIG, "http://b:2380")); // replayed on restart
        assertThat(m.members()).extracting(Member::id).containsExactly(0x23284278a2d8a0e6L, BIG);
    }

    @Test
    void publishedAttributesFillNameAndClientUrlsAndARemovedMemberStaysRemoved() {
        Membership m = new Membership(42, List.of(), List.of());
        m.apply(add(1, "http://a:2380"));
        m.apply(MemberAttributes.newBuilder().setMemberId(1).setName("one").addClientUrls("http://a:2379").build());
        assertThat(m.member(1).name()).isEqualTo("one");
        assertThat(m.member(1).clientUrls()).containsExactly("http://a:2379");
        m.apply(ConfChange.newBuilder().setType(ConfChangeType.ConfChangeRemoveNode).setNodeId(1).build());
        m.apply(add(1, "http://a:2380")); // replay of the old add
        assertThat(m.members()).isEmpty();
        assertThat(m.isRemoved(1)).isTrue();
        assertThat(Membership.fromRecord(m.toRecord()).isRemoved(1)).isTrue();
    }

    private static ConfChange add(long id, String peerUrl) {
        return ConfChange.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(id)
                .setContext(new Member(id, "", List.of(peerUrl), List.of(), false).toRecord().toByteString()).build();
    }
}
