package io.etcdj.raftsim.check;

import java.util.HashMap;
import java.util.Map;

/**
 * Election safety: over the whole history at most one node is ever leader in a given term.
 * Fed every (node, term) at which some node was observed in the LEADER role.
 */
public final class ElectionSafetyChecker {
    private final Map<Long, Long> leaderByTerm = new HashMap<>();

    public void observeLeader(long nodeId, long term) {
        Long previous = leaderByTerm.putIfAbsent(term, nodeId);
        if (previous != null && previous != nodeId) {
            throw new InvariantViolation("election-safety",
                    "two leaders in term " + term + ": node " + previous + " and node " + nodeId);
        }
    }

    public int termsWithLeader() {
        return leaderByTerm.size();
    }
}
