package io.etcdj.raftsim.check;

/**
 * Thrown by an invariant checker the moment the observed history breaks a raft guarantee.
 * The simulation catches it, stops the seed and reports the message with a tail of the trace.
 */
public final class InvariantViolation extends RuntimeException {
    private final String invariant;

    public InvariantViolation(String invariant, String detail) {
        super(invariant + ": " + detail, null, false, false);
        this.invariant = invariant;
    }

    /** Short name of the broken invariant, e.g. "election-safety". */
    public String invariant() {
        return invariant;
    }
}
