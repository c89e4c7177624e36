package io.etcdj.raftsim.check;

/**
 * The reference committed log: for every index some node has shown to be committed, the term and
 * content digest of the entry there. Invariant checked: a committed entry never changes — every
 * later observation of a committed entry at the same index must carry the same term and digest.
 * Terms are at least 1, so a stored term of 0 means "index not observed committed yet".
 */
public final class CommittedLog {
    private final LongArray terms = new LongArray();
    private final LongArray digests = new LongArray();
    private long highestIndex;

    /**
     * Records that {@code nodeId} holds (index, term, digest) as a committed entry.
     *
     * @throws InvariantViolation if a different entry was seen committed at that index before
     */
    public void observeCommitted(long nodeId, long index, long term, long digest) {
        long knownTerm = terms.get(index);
        if (knownTerm == 0) {
            terms.set(index, term);
            digests.set(index, digest);
            highestIndex = Math.max(highestIndex, index);
            return;
        }
        if (knownTerm != term || digests.get(index) != digest) {
            throw new InvariantViolation("committed-entry-changed",
                    "node " + nodeId + " has committed entry index=" + index + " term=" + term
                            + " digest=" + Long.toHexString(digest) + " but the entry committed there has term="
                            + knownTerm + " digest=" + Long.toHexString(digests.get(index)));
        }
    }

    /** True if the entry at {@code index} has been observed committed. */
    public boolean isKnown(long index) {
        return terms.get(index) != 0;
    }

    public long termAt(long index) {
        return terms.get(index);
    }

    public long digestAt(long index) {
        return digests.get(index);
    }

    /** The highest index observed committed so far (0 if none). */
    public long highestIndex() {
        return highestIndex;
    }
}
