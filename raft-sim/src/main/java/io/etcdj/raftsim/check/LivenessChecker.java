package io.etcdj.raftsim.check;

/**
 * Liveness after healing: once every fault is repaired at time {@code healedAt}, some leader must
 * be elected and a fresh proposal must commit within {@code boundMillis} of simulated time.
 */
public final class LivenessChecker {
    private final long boundMillis;
    private long healedAt = -1;
    private boolean satisfied;

    public LivenessChecker(long boundMillis) {
        this.boundMillis = boundMillis;
    }

    public void healed(long now) {
        healedAt = now;
        satisfied = false;
    }

    /** A proposal made after the heal has committed. */
    public void progressed() {
        satisfied = true;
    }

    public boolean satisfied() {
        return satisfied;
    }

    public long deadline() {
        return healedAt + boundMillis;
    }

    /** Throws if the bound has passed without progress. */
    public void check(long now) {
        if (healedAt >= 0 && !satisfied && now > deadline()) {
            throw new InvariantViolation("liveness",
                    "all faults healed at t=" + healedAt + "ms but no proposal made after that committed within "
                            + boundMillis + "ms (by t=" + now + "ms)");
        }
    }
}
