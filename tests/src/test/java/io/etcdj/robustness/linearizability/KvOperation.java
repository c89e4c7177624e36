package io.etcdj.robustness.linearizability;

import java.util.Objects;

/**
 * One client operation on one key of the KV store, as recorded by a history recorder: what was
 * asked, when it was invoked, and (if known) when and how it completed.
 *
 * <p>Invariants: {@code invokedAt < returnedAt}; an operation whose outcome is unknown (a timeout,
 * a broken connection) has {@link Outcome#UNKNOWN} and {@code returnedAt == Long.MAX_VALUE}: it may
 * have taken effect at any point after its invocation, or never. A {@code null} value means "the
 * key is absent" (for a get's observation and a compare-and-set's expectation).
 *
 * @param id        unique within one history, used in explanations
 * @param client    the client (process) that issued it; a client has at most one operation open
 * @param kind      what the operation does
 * @param key       the one key it touches
 * @param value     PUT: the value written; CAS: the value written when the comparison holds
 * @param expected  CAS only: the value compared against ({@code null} = key must be absent)
 * @param observed  GET only, when completed: the value read ({@code null} = key absent)
 * @param succeeded CAS only, when completed: whether the comparison held and the put happened
 */
public record KvOperation(int id, int client, Kind kind, String key, String value, String expected,
                          long invokedAt, long returnedAt, Outcome outcome, String observed,
                          boolean succeeded) {

    /** The operations of the register-per-key model. */
    public enum Kind { PUT, GET, DELETE, CAS }

    /** Whether the client learned how the operation ended. */
    public enum Outcome { COMPLETED, UNKNOWN }

    public static final long NEVER_RETURNED = Long.MAX_VALUE;

    public KvOperation {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == Outcome.UNKNOWN && returnedAt != NEVER_RETURNED) {
            throw new IllegalArgumentException("an operation with unknown outcome never returns: " + id);
        }
        if (returnedAt <= invokedAt) {
            throw new IllegalArgumentException("operation " + id + " returns before it is invoked");
        }
    }

    public static KvOperation put(int id, int client, String key, String value, long invokedAt, long returnedAt) {
        return new KvOperation(id, client, Kind.PUT, key, value, null, invokedAt, returnedAt, Outcome.COMPLETED, null, true);
    }

    public static KvOperation get(int id, int client, String key, String observed, long invokedAt, long returnedAt) {
        return new KvOperation(id, client, Kind.GET, key, null, null, invokedAt, returnedAt, Outcome.COMPLETED, observed, true);
    }

    public static KvOperation delete(int id, int client, String key, long invokedAt, long returnedAt) {
        return new KvOperation(id, client, Kind.DELETE, key, null, null, invokedAt, returnedAt, Outcome.COMPLETED, null, true);
    }

    public static KvOperation cas(int id, int client, String key, String expected, String value, boolean succeeded,
                                  long invokedAt, long returnedAt) {
        return new KvOperation(id, client, Kind.CAS, key, value, expected, invokedAt, returnedAt, Outcome.COMPLETED, null, succeeded);
    }

    /** The same operation with its outcome forgotten: it may or may not have taken effect. */
    public KvOperation withUnknownOutcome() {
        return new KvOperation(id, client, kind, key, value, expected, invokedAt, NEVER_RETURNED, Outcome.UNKNOWN, null, false);
    }

    public boolean completed() {
        return outcome == Outcome.COMPLETED;
    }

    @Override
    public String toString() {
        String body = switch (kind) {
            case PUT -> "put(" + key + ", " + show(value) + ")";
            case DELETE -> "delete(" + key + ")";
            case GET -> "get(" + key + ")" + (completed() ? " -> " + show(observed) : "");
            case CAS -> "cas(" + key + ", expect " + show(expected) + ", set " + show(value) + ")"
                    + (completed() ? " -> " + (succeeded ? "succeeded" : "failed") : "");
        };
        String when = "[" + invokedAt + ", " + (completed() ? Long.toString(returnedAt) : "?") + "]";
        return "#" + id + " c" + client + " " + body + (completed() ? "" : " (outcome unknown)") + " " + when;
    }

    static String show(String v) {
        return v == null ? "<absent>" : "'" + v + "'";
    }
}
