package io.etcdj.raftsim.check;

import java.util.HashMap;
import java.util.Map;

/**
 * Every node applies the same sequence: a node applies index i only right after i-1 (or after
 * restoring a snapshot at i-1), and the running hash of everything it applied up to i equals the
 * running hash every other node had at i. So applied logs are prefixes of one another.
 * Also feeds every applied entry into the {@link CommittedLog} (applied implies committed).
 */
public final class AppliedSequenceChecker {
    private final CommittedLog committed;
    private final LongArray chainAt = new LongArray();
    private final Map<Long, long[]> appliedByNode = new HashMap<>(); // node -> {index, chain}

    public AppliedSequenceChecker(CommittedLog committed) {
        this.committed = committed;
    }

    /** The running hash after applying an entry at (index, term, digest) on top of {@code chain}. */
    public static long extend(long chain, long index, long term, long digest) {
        long h = chain * 0x9E3779B97F4A7C15L + index;
        h ^= term * 0xC2B2AE3D27D4EB4FL;
        h ^= digest + 0x165667B19E3779F9L + (h << 6) + (h >>> 2);
        h ^= h >>> 31;
        return h == 0 ? 1 : h;
    }

    /**
     * The node's application state was (re)set to a snapshot or restart point: everything up to
     * {@code index} applied, with running hash {@code chain}. Index 0 with chain 0 is the empty state.
     */
    public void restored(long nodeId, long index, long chain) {
        if (index > 0) {
            checkChain(nodeId, index, chain, "restored snapshot");
        }
        appliedByNode.put(nodeId, new long[] {index, chain});
    }

    /** The node applied the entry (index, term, digest); returns the node's new running hash. */
    public long applied(long nodeId, long index, long term, long digest) {
        long[] state = appliedByNode.computeIfAbsent(nodeId, id -> new long[] {0, 0});
        if (index != state[0] + 1) {
            throw new InvariantViolation("applied-sequence",
                    "node " + nodeId + " applied index " + index + " right after index " + state[0]);
        }
        committed.observeCommitted(nodeId, index, term, digest);
        long chain = extend(state[1], index, term, digest);
        checkChain(nodeId, index, chain, "applied");
        state[0] = index;
        state[1] = chain;
        return chain;
    }

    public long appliedIndex(long nodeId) {
        long[] state = appliedByNode.get(nodeId);
        return state == null ? 0 : state[0];
    }

    private void checkChain(long nodeId, long index, long chain, String how) {
        long known = chainAt.get(index);
        if (known == 0) {
            chainAt.set(index, chain);
        } else if (known != chain) {
            throw new InvariantViolation("applied-sequence",
                    "node " + nodeId + " " + how + " up to index " + index
                            + " with a history that differs from what other nodes applied up to that index");
        }
    }
}
