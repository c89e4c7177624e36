package io.etcdj.raftsim.check;

/**
 * The committed prefix of each node's durable log never changes or disappears. After every
 * persist the simulation re-reads the affected part of the node's disk up to the node's durable
 * commit index: each entry there must equal the entry known committed at that index (recording
 * it if it is the first sighting), and the durable log must still reach the commit index —
 * entries below the first index are covered by a snapshot, whose state is checked separately.
 */
public final class DurableLogChecker {
    /** Read access to one node's durable log. */
    public interface DurableLog {
        long firstIndex();

        long lastIndex();

        /** Term and digest of the entries in [lo, hi], written into the two arrays. */
        void read(long lo, long hi, long[] terms, long[] digests);
    }

    private final CommittedLog committed;

    public DurableLogChecker(CommittedLog committed) {
        this.committed = committed;
    }

    /** Checks that entries (fromExclusive, commit] of {@code nodeId}'s durable log are the committed ones. */
    public void verify(long nodeId, long fromExclusive, long commit, DurableLog log) {
        if (commit <= fromExclusive) {
            return;
        }
        long last = log.lastIndex();
        if (commit > last) {
            throw new InvariantViolation("committed-entry-lost",
                    "node " + nodeId + " has durable commit index " + commit
                            + " but its durable log ends at index " + last);
        }
        long lo = Math.max(fromExclusive + 1, log.firstIndex());
        if (lo > commit) {
            return;
        }
        int n = (int) (commit - lo + 1);
        long[] terms = new long[n];
        long[] digests = new long[n];
        log.read(lo, commit, terms, digests);
        for (int i = 0; i < n; i++) {
            committed.observeCommitted(nodeId, lo + i, terms[i], digests[i]);
        }
    }
}
