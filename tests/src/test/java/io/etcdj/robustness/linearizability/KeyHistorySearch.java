package io.etcdj.robustness.linearizability;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Wing &amp; Gong / Lowe search for a linearization of the history of ONE key against
 * {@link RegisterModel}: depth-first, trying each operation that may come next in real-time order,
 * with memoization of (set of linearized operations, register state) so no configuration is
 * explored twice.
 *
 * <p>An operation may be linearized next iff no other not-yet-linearized operation returned before
 * it was invoked. An operation with unknown outcome never returns, so it may be placed anywhere
 * after its invocation; the search succeeds once every COMPLETED operation is placed, which lets
 * unknown ones also "never happen". Reads with unknown outcome have no effect and are dropped.
 *
 * <p>The search stops at a deadline (checked every few hundred steps) and then answers UNDECIDED.
 */
final class KeyHistorySearch {

    enum Verdict { LINEARIZABLE, NOT_LINEARIZABLE, UNDECIDED }

    record Result(String key, Verdict verdict, int operations, long steps, String explanation) {
    }

    private final String key;
    private final KvOperation[] ops;
    private final int completedCount;
    private final long deadlineNanos;

    // The deepest configuration reached, for the explanation of a failure.
    private int bestDepth = -1;
    private List<KvOperation> bestOrder = List.of();
    private RegisterModel.State bestState = RegisterModel.State.ABSENT;
    private List<KvOperation> bestCandidates = List.of();

    KeyHistorySearch(String key, List<KvOperation> history, long deadlineNanos) {
        this.key = key;
        this.ops = history.stream()
                .filter(op -> op.completed() || op.kind() != KvOperation.Kind.GET)
                .sorted(Comparator.comparingLong(KvOperation::invokedAt).thenComparingInt(KvOperation::id))
                .toArray(KvOperation[]::new);
        int completed = 0;
        for (KvOperation op : ops) {
            if (op.completed()) {
                completed++;
            }
        }
        this.completedCount = completed;
        this.deadlineNanos = deadlineNanos;
    }

    private record Config(BitSet linearized, RegisterModel.State state) {
    }

    private static final class Frame {
        final BitSet linearized;
        final RegisterModel.State state;
        final int completedDone;
        final List<Integer> candidates;
        int next;
        final int placed; // index of the op placed to reach this frame, -1 for the root

        Frame(BitSet linearized, RegisterModel.State state, int completedDone, List<Integer> candidates, int placed) {
            this.linearized = linearized;
            this.state = state;
            this.completedDone = completedDone;
            this.candidates = candidates;
            this.placed = placed;
        }
    }

    Result run() {
        if (completedCount == 0) {
            return new Result(key, Verdict.LINEARIZABLE, ops.length, 0, "");
        }
        Set<Config> seen = new HashSet<>();
        List<Frame> stack = new ArrayList<>();
        BitSet none = new BitSet(ops.length);
        stack.add(new Frame(none, RegisterModel.State.ABSENT, 0, candidates(none), -1));
        long steps = 0;
        while (!stack.isEmpty()) {
            if ((++steps & 255) == 0 && System.nanoTime() - deadlineNanos > 0) {
                return new Result(key, Verdict.UNDECIDED, ops.length, steps,
                        "key " + key + ": search stopped at its deadline after " + steps + " steps ("
                                + ops.length + " operations); no verdict");
            }
            Frame top = stack.get(stack.size() - 1);
            if (top.next == 0) {
                noteDepth(stack, top);
            }
            if (top.next >= top.candidates.size()) {
                stack.remove(stack.size() - 1);
                continue;
            }
            int i = top.candidates.get(top.next++);
            Optional<RegisterModel.State> after = RegisterModel.step(top.state, ops[i]);
            if (after.isEmpty()) {
                continue;
            }
            BitSet lin = (BitSet) top.linearized.clone();
            lin.set(i);
            int done = top.completedDone + (ops[i].completed() ? 1 : 0);
            if (done == completedCount) {
                return new Result(key, Verdict.LINEARIZABLE, ops.length, steps, "");
            }
            if (!seen.add(new Config(lin, after.get()))) {
                continue;
            }
            stack.add(new Frame(lin, after.get(), done, candidates(lin), i));
        }
        return new Result(key, Verdict.NOT_LINEARIZABLE, ops.length, steps, explain());
    }

    /** Operations that may be linearized next: invoked no later than the earliest pending return. */
    private List<Integer> candidates(BitSet linearized) {
        long minReturn = Long.MAX_VALUE;
        for (int i = linearized.nextClearBit(0); i < ops.length; i = linearized.nextClearBit(i + 1)) {
            minReturn = Math.min(minReturn, ops[i].returnedAt());
        }
        // Heuristic order: completed operations by return time first; operations with unknown
        // outcome last, since most of them usually never took effect.
        List<Integer> completed = new ArrayList<>();
        List<Integer> unknown = new ArrayList<>();
        for (int i = linearized.nextClearBit(0); i < ops.length && ops[i].invokedAt() <= minReturn;
             i = linearized.nextClearBit(i + 1)) {
            (ops[i].completed() ? completed : unknown).add(i);
        }
        completed.sort(Comparator.comparingLong(i -> ops[i].returnedAt()));
        completed.addAll(unknown);
        return completed;
    }

    private void noteDepth(List<Frame> stack, Frame top) {
        if (top.completedDone <= bestDepth) {
            return;
        }
        bestDepth = top.completedDone;
        List<KvOperation> order = new ArrayList<>();
        for (Frame f : stack) {
            if (f.placed >= 0) {
                order.add(ops[f.placed]);
            }
        }
        bestOrder = order;
        bestState = top.state;
        bestCandidates = top.candidates.stream().map(i -> ops[i]).toList();
    }

    private String explain() {
        StringBuilder sb = new StringBuilder();
        sb.append("key ").append(key).append(": no linearization of ").append(ops.length)
                .append(" operations exists.\n  Longest consistent order found (")
                .append(bestDepth).append(" of ").append(completedCount).append(" completed operations placed):");
        if (bestOrder.isEmpty()) {
            sb.append(" (none)");
        }
        for (KvOperation op : bestOrder) {
            sb.append("\n    ").append(op);
        }
        sb.append("\n  after which the key holds ").append(KvOperation.show(bestState.value()))
                .append(" and no operation that may come next fits:");
        for (KvOperation op : bestCandidates) {
            sb.append("\n    ").append(op).append(": ")
                    .append(RegisterModel.step(bestState, op).isPresent()
                            ? "fits here, but every continuation after it fails"
                            : RegisterModel.whyNot(bestState, op));
        }
        long firstReturn = Long.MAX_VALUE;
        for (KvOperation op : ops) {
            if (!bestOrder.contains(op)) {
                firstReturn = Math.min(firstReturn, op.returnedAt());
            }
        }
        if (firstReturn != Long.MAX_VALUE) {
            sb.append("\n  (operations invoked after ").append(firstReturn)
                    .append(" must wait: an operation still to be placed had already returned then)");
        }
        return sb.toString();
    }
}
