package io.etcdj.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.EtcdError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** etcd's strict reconfiguration rules, on member sets and link states made up for each case. */
class ReconfigurationCheckTest {
    private final Set<Long> up = new HashSet<>();

    private ReconfigurationCheck check(List<Member> members) {
        Membership m = new Membership(1, members, List.of());
        // links up for long enough, except those not in 'up'
        return new ReconfigurationCheck(true, 1, m, (peer, since) -> up.contains(peer));
    }

    private static Member started(long id) {
        return new Member(id, "m" + id, List.of("http://127.0.0.1:" + (2380 + id)), List.of(), false);
    }

    private static Member unstarted(long id) {
        return new Member(id, "", List.of("http://127.0.0.1:" + (2380 + id)), List.of(), false);
    }

    private static Member learner(long id) {
        return new Member(id, "", List.of("http://127.0.0.1:" + (2380 + id)), List.of(), true);
    }

    @Test
    void aOneMemberClusterMayAlwaysGrowToTwo() {
        assertThat(check(List.of(started(1))).mayAdd(false)).isNull();
    }

    @Test
    void addingAVotingMemberNeedsAQuorumOfTheGrownClusterStarted() {
        up.add(2L);
        List<Member> members = new ArrayList<>(List.of(started(1), unstarted(2)));
        assertThat(check(members).mayAdd(false)).isEqualTo(EtcdError.NOT_ENOUGH_STARTED_MEMBERS);
        assertThat(check(members).mayAdd(true)).as("a learner does not count for the quorum").isNull();
    }

    @Test
    void addingNeedsEveryVotingMemberLinkedForFiveSeconds() {
        up.add(2L);
        List<Member> members = List.of(started(1), started(2), started(3));
        assertThat(check(members).mayAdd(false)).isEqualTo(EtcdError.UNHEALTHY);
        assertThat(check(members).mayAdd(true)).isEqualTo(EtcdError.UNHEALTHY);
        up.add(3L);
        assertThat(check(members).mayAdd(false)).isNull();
    }

    @Test
    void removingADownMemberIsAllowedButNotOneWhoseRemovalBreaksTheActiveQuorum() {
        List<Member> members = List.of(started(1), started(2), started(3));
        up.add(2L);
        assertThat(check(members).mayRemove(3)).as("member 3 is down").isNull();
        assertThat(check(members).mayRemove(2)).as("only 1 and 2 are up; without 2 no quorum")
                .isEqualTo(EtcdError.UNHEALTHY);
        assertThat(check(List.of(started(1), started(2), learner(4))).mayRemove(4)).isNull();
    }

    @Test
    void promotingNeedsAQuorumOfTheGrownVotingSetStarted() {
        assertThat(check(List.of(started(1), learner(4))).mayPromote(4)).isNull();
        assertThat(check(List.of(started(1), unstarted(2), unstarted(3), learner(4))).mayPromote(4))
                .isEqualTo(EtcdError.NOT_ENOUGH_STARTED_MEMBERS);
    }

    @Test
    void offMeansNoCheck() {
        Membership m = new Membership(1, List.of(started(1), unstarted(2)), List.of());
        assertThat(new ReconfigurationCheck(false, 1, m, (p, s) -> false).mayAdd(false)).isNull();
    }
}
