package io.etcdj.raftsim.check;

import java.util.HashMap;
import java.util.Map;

/**
 * ReadIndex linearizability: a read must observe every write that was committed (and so could
 * have been acknowledged) before the read began. At read start the simulation records the highest
 * index known committed anywhere; every ReadState answering that read must carry an index at least
 * that high (the node then serves the read once applied >= that index).
 */
public final class LinearizableReadChecker {
    private final Map<Long, Long> lowerBoundByRead = new HashMap<>();

    public void readStarted(long readId, long highestCommittedAtStart) {
        lowerBoundByRead.put(readId, highestCommittedAtStart);
    }

    /** A ReadState for {@code readId} arrived at {@code nodeId}; ids never started are ignored. */
    public void readAnswered(long nodeId, long readId, long readIndex) {
        Long lowerBound = lowerBoundByRead.get(readId);
        if (lowerBound != null && readIndex < lowerBound) {
            throw new InvariantViolation("linearizable-read",
                    "read " + readId + " answered at node " + nodeId + " with read index " + readIndex
                            + " but index " + lowerBound + " was already committed when the read began");
        }
    }
}
