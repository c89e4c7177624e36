package io.etcdj.robustness.linearizability;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a real history into a certainly non-linearizable one, to prove the checker bites on
 * histories of realistic size: some completed read is made to return the value of a completed
 * write {@code p0} although another completed write {@code p1} of the same key happened entirely
 * after {@code p0} and entirely before the read. With values unique per write, nothing can have
 * restored {@code p0}'s value, so the read is stale.
 */
public final class StaleReadMutation {

    private StaleReadMutation() {
    }

    /** The mutated history and the read that was changed, if the history has such a pattern. */
    public record Mutated(List<KvOperation> history, KvOperation staleRead) {
    }

    /** Makes the last such read of the history stale: the checker must search (nearly) all of it. */
    public static Optional<Mutated> apply(List<KvOperation> history) {
        return apply(history, false);
    }

    /**
     * Makes the first such read stale: the checker must refute only the history up to it, which
     * stays cheap when the whole history, with many operations of unknown outcome, is not.
     */
    public static Optional<Mutated> applyEarliest(List<KvOperation> history) {
        return apply(history, true);
    }

    private static Optional<Mutated> apply(List<KvOperation> history, boolean earliest) {
        List<KvOperation> writes = history.stream()
                .filter(op -> op.completed() && op.kind() == KvOperation.Kind.PUT).toList();
        for (int i = 0; i < history.size(); i++) {
            int g = earliest ? i : history.size() - 1 - i;
            KvOperation read = history.get(g);
            if (!read.completed() || read.kind() != KvOperation.Kind.GET) {
                continue;
            }
            for (KvOperation p1 : writes) {
                if (!p1.key().equals(read.key()) || p1.returnedAt() >= read.invokedAt()) {
                    continue;
                }
                for (KvOperation p0 : writes) {
                    if (p0.key().equals(read.key()) && p0.returnedAt() < p1.invokedAt()
                            && !p0.value().equals(read.observed())) {
                        KvOperation stale = new KvOperation(read.id(), read.client(), read.kind(), read.key(), null, null,
                                read.invokedAt(), read.returnedAt(), read.outcome(), p0.value(), true);
                        List<KvOperation> out = new ArrayList<>(history);
                        out.set(g, stale);
                        return Optional.of(new Mutated(out, stale));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
