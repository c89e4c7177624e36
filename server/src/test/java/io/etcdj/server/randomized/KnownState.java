package io.etcdj.server.randomized;

import java.util.ArrayList;
import java.util.List;

/**
 * What the test knows of the members' state, learnt from the reference etcd's answers (which ours
 * must equal): the newest revision, the revision compacted to, the leases granted and revoked
 * (by their reference ID). The generator draws revisions and lease IDs from it so that requests
 * hit the interesting cases (past, compacted, future revisions; live, revoked, unknown leases).
 */
final class KnownState {
    long revision = 1;
    long compactRevision;
    /**
     * The lowest start revision of the watches that may still be replaying history (no compaction
     * goes above it: whether a watch not yet caught up is cancelled for a compaction depends on
     * when the member's background sync ran); {@link Long#MAX_VALUE} when there is none.
     */
    long watchFloor = Long.MAX_VALUE;
    final List<Long> liveLeases = new ArrayList<>();
    final List<Long> revokedLeases = new ArrayList<>();

    void sawRevision(long rev) {
        revision = Math.max(revision, rev);
    }

    void granted(long id) {
        liveLeases.add(id);
    }

    void revoked(long id) {
        if (liveLeases.remove(id)) {
            revokedLeases.add(id);
        }
    }
}
