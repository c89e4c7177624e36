package io.etcdj.server.corruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.mvcc.HashKvResult;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparisons of etcd's corruption checker, over a scripted member and scripted peers. */
class CorruptionCheckerTest {
    private static final long SELF = 0x8e9e05c52164694dL;
    private static final long PEER = 0x91bc3c398fb3c146L;

    /** A member whose successive own hashes and whose peers' answers are given in advance. */
    private static final class ScriptedMember implements CorruptionChecker.Hasher {
        final Deque<HashKvResult> ownHashes = new ArrayDeque<>();
        List<PeerHash> peers = List.of();
        final List<Long> alarms = new ArrayList<>();
        final List<Long> askedAt = new ArrayList<>();

        @Override
        public long memberId() {
            return SELF;
        }

        @Override
        public HashKvResult hashKv(long revision) {
            return ownHashes.size() > 1 ? ownHashes.poll() : ownHashes.peek();
        }

        @Override
        public List<PeerHash> peerHashes(long revision) {
            askedAt.add(revision);
            return peers;
        }

        @Override
        public void linearizableBarrier() {
        }

        @Override
        public void triggerCorruptAlarm(long memberId) {
            alarms.add(memberId);
        }
    }

    private static PeerHash peer(int hash, long rev, long compactRev) {
        return PeerHash.answered(PEER, List.of("http://127.0.0.2:2380"), HashKVResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setMemberId(PEER).setRevision(rev))
                .setHash(hash).setCompactRevision(compactRev).build());
    }

    private static CorruptionChecker checker(ScriptedMember m) {
        return new CorruptionChecker(m, Duration.ofSeconds(7));
    }

    @Test
    void aPeerWithTheSameHashPassesTheInitialCheck() throws Exception {
        ScriptedMember m = new ScriptedMember();
        m.ownHashes.add(new HashKvResult(42, 10, -1));
        m.peers = List.of(peer(42, 10, -1));
        checker(m).initialCheck();
        assertThat(m.askedAt).containsExactly(10L);
    }

    @Test
    void aPeerWithAnotherHashAtTheSameCompactionStopsTheStart() {
        ScriptedMember m = new ScriptedMember();
        m.ownHashes.add(new HashKvResult(42, 10, 5));
        m.peers = List.of(peer(43, 10, 5));
        assertThatThrownBy(() -> checker(m).initialCheck()).isInstanceOf(CorruptionChecker.DataInconsistency.class)
                .hasMessage("8e9e05c52164694d found data inconsistency with peers");
    }

    @Test
    void hashesAtAnotherCompactionOrFromALaggingPeerAreNotCompared() throws Exception {
        ScriptedMember m = new ScriptedMember();
        m.ownHashes.add(new HashKvResult(42, 10, 5));
        m.peers = List.of(peer(43, 10, 7),
                PeerHash.failed(PEER, List.of(), "etcdserver: mvcc: required revision is a future revision"),
                PeerHash.failed(PEER, List.of(), "etcdserver: mvcc: required revision has been compacted"),
                PeerHash.failed(PEER, List.of(), "context deadline exceeded"));
        checker(m).initialCheck();
    }

    @Test
    void theLeaderRaisesTheAlarmOnceForMemberZeroWhenAFollowerHashesOtherwise() throws Exception {
        ScriptedMember m = new ScriptedMember();
        m.ownHashes.add(new HashKvResult(42, 10, -1));
        m.peers = List.of(peer(43, 10, -1), peer(44, 10, -1));
        assertThat(checker(m).periodicCheck()).isEqualTo(2);
        assertThat(m.alarms).containsExactly(0L);
    }

    @Test
    void theLeaderRaisesTheAlarmWhenAFollowerIsAheadOfIt() throws Exception {
        ScriptedMember m = new ScriptedMember();
        m.ownHashes.add(new HashKvResult(42, 10, -1));
        m.peers = List.of(peer(50, 11, -1));
        checker(m).periodicCheck();
        assertThat(m.alarms).containsExactly(0L);

        ScriptedMember compactedFurther = new ScriptedMember();
        compactedFurther.ownHashes.add(new HashKvResult(42, 10, 3));
        compactedFurther.peers = List.of(peer(50, 10, 4));
        checker(compactedFurther).periodicCheck();
        assertThat(compactedFurther.alarms).containsExactly(0L);
    }

    @Test
    void theLeaderRaisesTheAlarmWhenItsOwnHashChangesWithoutANewRevision() throws Exception {
        ScriptedMember m = new ScriptedMember();
        m.ownHashes.add(new HashKvResult(42, 10, -1));
        m.ownHashes.add(new HashKvResult(41, 10, -1));
        checker(m).periodicCheck();
        assertThat(m.alarms).containsExactly(0L);
    }

    @Test
    void followersThatAgreeOrLagRaiseNothing() throws Exception {
        ScriptedMember m = new ScriptedMember();
        m.ownHashes.add(new HashKvResult(42, 10, 3));
        m.ownHashes.add(new HashKvResult(77, 12, 3)); // writes went on meanwhile
        m.peers = List.of(peer(42, 10, 3), peer(99, 9, 2),
                PeerHash.failed(PEER, List.of(), "etcdserver: mvcc: required revision is a future revision"));
        assertThat(checker(m).periodicCheck()).isEqualTo(2);
        assertThat(m.alarms).isEmpty();
    }
}
