package io.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.server.membership.Member;
import io.etcdj.server.membership.Membership;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** etcd's three texts for a proposal raft took but did not apply within the request timeout. */
class ProposalTimeoutReasonTest {
    private static final long SELF = 1;
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(100 * SECOND);
    private final AtomicLong leader = new AtomicLong();
    /** Since when each peer's link has been up (absent: down). */
    private final Map<Long, Long> upSince = new HashMap<>();
    private final ProposalTimeoutReason reason = new ProposalTimeoutReason(SELF,
            new Membership(42, List.of(member(1), member(2), member(3)), List.of()),
            (peer, since) -> upSince.containsKey(peer) && upSince.get(peer) <= since,
            leader::get, Duration.ofSeconds(1), clock::get);

    @Test
    void aProposalMadeJustBeforeTheNewLeaderWasElectedBlamesThePreviousLeader() {
        leader.set(2);
        upSince.put(2L, 0L);
        reason.onLeaderChange(2, 5); // elected at 100 s
        assertThat(reason.of(99 * SECOND)).isEqualTo(EtcdError.TIMEOUT_DUE_TO_LEADER_FAIL);
        assertThat(reason.of(97 * SECOND)).as("more than two election timeouts before").isEqualTo(EtcdError.TIMEOUT);
        assertThat(reason.of(101 * SECOND)).as("after the election").isEqualTo(EtcdError.TIMEOUT);
    }

    @Test
    void aFollowerCutOffFromItsLeaderSinceTheProposalBlamesTheConnection() {
        leader.set(2);
        upSince.put(2L, 0L);
        assertThat(reason.of(50 * SECOND)).isEqualTo(EtcdError.TIMEOUT);
        upSince.put(2L, 60 * SECOND); // the link broke and came back after the proposal
        assertThat(reason.of(50 * SECOND)).isEqualTo(EtcdError.TIMEOUT_DUE_TO_CONNECTION_LOST);
        upSince.remove(2L);
        assertThat(reason.of(50 * SECOND)).isEqualTo(EtcdError.TIMEOUT_DUE_TO_CONNECTION_LOST);
    }

    @Test
    void aLeaderBlamesTheConnectionWhenItHasNotReachedAQuorumSinceTheProposal() {
        leader.set(SELF);
        upSince.put(2L, 0L);
        assertThat(reason.of(50 * SECOND)).as("itself and one of two peers").isEqualTo(EtcdError.TIMEOUT);
        upSince.put(2L, 70 * SECOND);
        assertThat(reason.of(50 * SECOND)).isEqualTo(EtcdError.TIMEOUT_DUE_TO_CONNECTION_LOST);
    }

    @Test
    void withoutALeaderTheTimeoutIsPlain() {
        assertThat(reason.of(50 * SECOND)).isEqualTo(EtcdError.TIMEOUT);
    }

    private static Member member(long id) {
        return new Member(id, "m" + id, List.of("http://127.0.0." + id + ":2380"), List.of(), false);
    }
}
