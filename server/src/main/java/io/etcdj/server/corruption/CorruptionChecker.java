package io.etcdj.server.corruption;

import io.etcdj.mvcc.HashKvResult;
import io.etcdj.server.EtcdError;
import io.etcdj.server.config.GoDuration;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * etcd 3.5's corruption checks over a {@link Hasher}: what the member's own key space hashes to, what
 * its peers' hash to at the same revision, and how to raise the alarm. Hashes are comparable only at
 * the same revision and the same compaction revision (a compaction changes what is hashed), so a peer
 * that is behind, ahead or compacted otherwise is logged and skipped, never counted as corrupt.
 */
public final class CorruptionChecker {
    private static final Logger log = LoggerFactory.getLogger(CorruptionChecker.class);

    /** What the checks need of the member. */
    public interface Hasher {
        long memberId();

        /** This member's HashKV at {@code revision} (0: its current revision). */
        HashKvResult hashKv(long revision);

        /** Every peer's HashKV at {@code revision}. */
        List<PeerHash> peerHashes(long revision);

        /** Returns once this member has applied everything committed when it was called (a ReadIndex). */
        void linearizableBarrier() throws Exception;

        /** Proposes the CORRUPT alarm for {@code memberId} through raft, without waiting for it. */
        void triggerCorruptAlarm(long memberId);
    }

    /** The start-up refusal: "<member ID> found data inconsistency with peers". */
    public static final class DataInconsistency extends IOException {
        DataInconsistency(long memberId) {
            super(Long.toHexString(memberId) + " found data inconsistency with peers");
        }
    }

    private final Hasher hasher;
    private final Duration timeout;

    /** @param timeout the request timeout (logged, as etcd does; the peers are asked within it) */
    public CorruptionChecker(Hasher hasher, Duration timeout) {
        this.hasher = hasher;
        this.timeout = timeout;
    }

    /**
     * --experimental-initial-corrupt-check, before serving clients: fails when a peer at this member's
     * revision with the same compaction revision has another hash.
     */
    public void initialCheck() throws DataInconsistency {
        String self = Long.toHexString(hasher.memberId());
        log.atInfo().setMessage("starting initial corruption check").addKeyValue("local-member-id", self)
                .addKeyValue("timeout", GoDuration.format(timeout)).log();
        HashKvResult local = hasher.hashKv(0);
        long rev = local.currentRev();
        int mismatches = 0;
        for (PeerHash p : hasher.peerHashes(rev)) {
            if (p.response() != null) {
                if (p.response().getHash() != local.hash()) {
                    boolean sameCompaction = p.response().getCompactRevision() == local.compactRev();
                    peerFields(log.atWarn(), self, rev, local, p)
                            .setMessage(sameCompaction ? "found different hash values from remote peer"
                                    : "found different compact revision values from remote peer").log();
                    if (sameCompaction) {
                        mismatches++;
                    }
                }
            } else if (EtcdError.FUTURE_REV.message().equals(p.error())) {
                errorFields(log.atWarn(), self, rev, local, p).setMessage("cannot fetch hash from slow remote peer").log();
            } else if (EtcdError.COMPACTED.message().equals(p.error())) {
                errorFields(log.atWarn(), self, rev, local, p)
                        .setMessage("cannot fetch hash from remote peer; local member is behind").log();
            }
        }
        if (mismatches > 0) {
            throw new DataInconsistency(hasher.memberId());
        }
        log.atInfo().setMessage("initial corruption checking passed; no corruption").addKeyValue("local-member-id", self)
                .log();
    }

    /**
     * One round of --experimental-corrupt-check-time on the leader: hashes itself, asks the peers at
     * that revision, waits until it has applied everything committed, hashes itself again. Raises the
     * CORRUPT alarm (for member 0, as etcd 3.5 does: which member is corrupt is not known) at most once
     * when its own hash changed without a new revision or compaction, when a follower claims a later
     * revision or compaction than the leader's, or when a follower at the leader's first compaction
     * revision has another hash.
     *
     * @return the number of peers whose answer was compared
     */
    public int periodicCheck() throws Exception {
        HashKvResult h = hasher.hashKv(0);
        long rev = h.currentRev();
        List<PeerHash> peers = hasher.peerHashes(rev);
        hasher.linearizableBarrier();
        HashKvResult h2 = hasher.hashKv(0);
        long rev2 = h2.currentRev();
        boolean[] alarmed = {false};
        Runnable mismatch = () -> {
            if (!alarmed[0]) {
                alarmed[0] = true;
                hasher.triggerCorruptAlarm(0);
            }
        };
        if (h2.hash() != h.hash() && rev2 == rev && h.compactRev() == h2.compactRev()) {
            log.atWarn().setMessage("found hash mismatch").addKeyValue("revision-1", rev)
                    .addKeyValue("compact-revision-1", h.compactRev()).addKeyValue("hash-1", unsigned(h.hash()))
                    .addKeyValue("revision-2", rev2).addKeyValue("compact-revision-2", h2.compactRev())
                    .addKeyValue("hash-2", unsigned(h2.hash())).log();
            mismatch.run();
        }
        int checked = 0;
        for (PeerHash p : peers) {
            if (p.response() == null) {
                continue;
            }
            checked++;
            String follower = Long.toHexString(p.memberId());
            long followerRev = p.response().getHeader().getRevision();
            long followerCompact = p.response().getCompactRevision();
            if (followerRev > rev2) {
                log.atWarn().setMessage("revision from follower must be less than or equal to leader's")
                        .addKeyValue("leader-revision", rev2).addKeyValue("follower-revision", followerRev)
                        .addKeyValue("follower-peer-id", follower).log();
                mismatch.run();
            }
            if (followerCompact > h2.compactRev()) {
                log.atWarn().setMessage("compact revision from follower must be less than or equal to leader's")
                        .addKeyValue("leader-compact-revision", h2.compactRev())
                        .addKeyValue("follower-compact-revision", followerCompact)
                        .addKeyValue("follower-peer-id", follower).log();
                mismatch.run();
            }
            if (followerCompact == h.compactRev() && p.response().getHash() != h.hash()) {
                log.atWarn().setMessage("same compact revision then hashes must match")
                        .addKeyValue("leader-compact-revision", h2.compactRev())
                        .addKeyValue("leader-hash", unsigned(h.hash()))
                        .addKeyValue("follower-compact-revision", followerCompact)
                        .addKeyValue("follower-hash", unsigned(p.response().getHash()))
                        .addKeyValue("follower-peer-id", follower).log();
                mismatch.run();
            }
        }
        log.atInfo().setMessage("finished peer corruption check").addKeyValue("number-of-peers-checked", checked).log();
        return checked;
    }

    private static long unsigned(int hash) {
        return Integer.toUnsignedLong(hash);
    }

    private static LoggingEventBuilder localFields(LoggingEventBuilder b, String self, long rev, HashKvResult local) {
        return b.addKeyValue("local-member-id", self).addKeyValue("local-member-revision", rev)
                .addKeyValue("local-member-compact-revision", local.compactRev())
                .addKeyValue("local-member-hash", unsigned(local.hash()));
    }

    private static LoggingEventBuilder peerFields(LoggingEventBuilder b, String self, long rev, HashKvResult local,
                                                  PeerHash p) {
        return localFields(b, self, rev, local).addKeyValue("remote-peer-id", Long.toHexString(p.memberId()))
                .addKeyValue("remote-peer-endpoints", p.endpoints())
                .addKeyValue("remote-peer-revision", p.response().getHeader().getRevision())
                .addKeyValue("remote-peer-compact-revision", p.response().getCompactRevision())
                .addKeyValue("remote-peer-hash", unsigned(p.response().getHash()));
    }

    private static LoggingEventBuilder errorFields(LoggingEventBuilder b, String self, long rev, HashKvResult local,
                                                   PeerHash p) {
        return localFields(b, self, rev, local).addKeyValue("remote-peer-id", Long.toHexString(p.memberId()))
                .addKeyValue("remote-peer-endpoints", p.endpoints()).addKeyValue("error", p.error());
    }
}
