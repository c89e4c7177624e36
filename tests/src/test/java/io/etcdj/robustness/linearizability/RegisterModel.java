package io.etcdj.robustness.linearizability;

import java.util.Objects;
import java.util.Optional;

/**
 * The sequential specification of one key of a KV store, seen as a register holding a value or
 * nothing. {@link #step} says whether an operation, applied to a state, could have produced the
 * response the client saw, and what state follows.
 *
 * <p>Operations with an unknown outcome are accepted in any state (their response is not known);
 * a CAS with unknown outcome takes effect exactly when its comparison holds in that state.
 */
final class RegisterModel {

    /** The state of the register: {@code value == null} means the key is absent. */
    record State(String value) {
        static final State ABSENT = new State(null);
    }

    private RegisterModel() {
    }

    /** The state after {@code op}, or empty when {@code op}'s recorded response is impossible in {@code s}. */
    static Optional<State> step(State s, KvOperation op) {
        return switch (op.kind()) {
            case PUT -> Optional.of(new State(op.value()));
            case DELETE -> Optional.of(State.ABSENT);
            case GET -> !op.completed() || Objects.equals(s.value(), op.observed())
                    ? Optional.of(s) : Optional.empty();
            case CAS -> {
                boolean holds = Objects.equals(s.value(), op.expected());
                if (op.completed() && holds != op.succeeded()) {
                    yield Optional.empty();
                }
                yield Optional.of(holds ? new State(op.value()) : s);
            }
        };
    }

    /** Why {@code op} cannot follow state {@code s}: for explanations. */
    static String whyNot(State s, KvOperation op) {
        return switch (op.kind()) {
            case GET -> "it read " + KvOperation.show(op.observed()) + " but the key holds " + KvOperation.show(s.value());
            case CAS -> "it " + (op.succeeded() ? "succeeded" : "failed") + " comparing against "
                    + KvOperation.show(op.expected()) + " but the key holds " + KvOperation.show(s.value());
            default -> "impossible";
        };
    }
}
