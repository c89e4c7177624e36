package io.etcdj.robustness.linearizability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Decides whether a recorded KV history is linearizable, key by key. Linearizability is
 * compositional (Herlihy &amp; Wing): a history is linearizable iff the sub-history of every object
 * is, and every operation of this model touches exactly one key, so each key is searched alone
 * ({@link KeyHistorySearch}).
 *
 * <p>The whole check shares one time budget, split evenly over the keys still to search (time a
 * key leaves unused goes to the others); a key whose search runs out of its share is UNDECIDED, and
 * the overall verdict is then UNDECIDED unless another key is already NOT_LINEARIZABLE.
 */
public final class LinearizabilityChecker {

    /** The overall answer. */
    public enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNDECIDED }

    /** The answer with, for anything but LINEARIZABLE, a human-readable explanation per key. */
    public record Report(Verdict verdict, int operations, int keys, String explanation) {
        public boolean linearizable() {
            return verdict == Verdict.LINEARIZABLE;
        }

        @Override
        public String toString() {
            return verdict + " (" + operations + " operations over " + keys + " keys)"
                    + (explanation.isEmpty() ? "" : "\n" + explanation);
        }
    }

    private final Duration budget;

    public LinearizabilityChecker(Duration budget) {
        this.budget = budget;
    }

    public Report check(List<KvOperation> history) {
        long deadline = System.nanoTime() + budget.toNanos();
        Map<String, List<KvOperation>> byKey = history.stream()
                .collect(Collectors.groupingBy(KvOperation::key, LinkedHashMap::new, Collectors.toList()));
        List<String> problems = new ArrayList<>();
        boolean undecided = false;
        boolean violated = false;
        int keysLeft = byKey.size();
        for (Map.Entry<String, List<KvOperation>> e : byKey.entrySet()) {
            // Each key gets an equal share of what is left of the budget.
            long now = System.nanoTime();
            long keyDeadline = now + Math.max(0, deadline - now) / keysLeft--;
            KeyHistorySearch.Result r = new KeyHistorySearch(e.getKey(), e.getValue(), keyDeadline).run();
            switch (r.verdict()) {
                case LINEARIZABLE -> { }
                case NOT_LINEARIZABLE -> {
                    violated = true;
                    problems.add(r.explanation());
                }
                case UNDECIDED -> {
                    undecided = true;
                    problems.add(r.explanation());
                }
            }
        }
        Verdict v = violated ? Verdict.NOT_LINEARIZABLE : undecided ? Verdict.UNDECIDED : Verdict.LINEARIZABLE;
        return new Report(v, history.size(), byKey.size(), String.join("\n", problems));
    }
}
