package io.etcdj.raft;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * A member's log: the durable part read through {@link RaftStorage} followed by the
 * {@link UnstableLog}, plus the commit and apply cursors.
 *
 * <p>Invariants: {@code applied <= applying <= committed <= lastIndex()};
 * {@code firstIndex() - 1 <= applied} once a snapshot was applied; entries at indexes
 * {@code <= committed} are never truncated.
 */
final class RaftLog {
    private final RaftStorage storage;
    private final UnstableLog unstable;
    private final long maxCommittedSizePerReady;
    private long committed;
    private long applying;
    private long applied;

    RaftLog(RaftStorage storage, long maxCommittedSizePerReady) {
        this.storage = storage;
        this.maxCommittedSizePerReady = maxCommittedSizePerReady;
        long first = storage.firstIndex();
        long last = storage.lastIndex();
        this.unstable = new UnstableLog(last + 1);
        this.committed = first - 1;
        this.applying = first - 1;
        this.applied = first - 1;
    }

    long committed() {
        return committed;
    }

    long applied() {
        return applied;
    }

    long applying() {
        return applying;
    }

    UnstableLog unstable() {
        return unstable;
    }

    long firstIndex() {
        long i = unstable.maybeFirstIndex();
        return i >= 0 ? i : storage.firstIndex();
    }

    long lastIndex() {
        long i = unstable.maybeLastIndex();
        return i >= 0 ? i : storage.lastIndex();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /** Highest index known durable (handed out in a Ready and advanced). */
    long stableLastIndex() {
        if (unstable.snapshot() != null) {
            return 0; // the new log starts with a snapshot that is not durable yet
        }
        return unstable.offset() - 1;
    }

    /**
     * Term of entry {@code i}.
     *
     * @throws CompactedException if {@code i < firstIndex() - 1}
     * @throws UnavailableException if {@code i > lastIndex()}
     */
    long term(long i) {
        long t = unstable.maybeTerm(i);
        if (t >= 0) {
            return t;
        }
        if (i < firstIndex() - 1) {
            throw new CompactedException();
        }
        if (i > lastIndex()) {
            throw new UnavailableException();
        }
        return storage.term(i);
    }

    /**
     * Term of {@code i}, or 0 if it is compacted or beyond the log. The bounds are checked first
     * rather than {@link #term}'s exceptions caught: followers ask about entries beyond their log
     * on every append, and an exception per append is a stack trace per append.
     */
    long zeroTermOnOutOfBounds(long i) {
        return inBounds(i) ? term(i) : 0;
    }

    /** Whether our log holds entry {@code i} with term {@code t}. */
    boolean matchTerm(long i, long t) {
        return inBounds(i) && term(i) == t;
    }

    /** Whether {@link #term} answers for {@code i} (the dummy entry before the first included). */
    private boolean inBounds(long i) {
        return i >= firstIndex() - 1 && i <= lastIndex();
    }

    /**
     * The follower side of an append: if our entry at {@code index} has {@code logTerm}, append
     * {@code ents} (truncating a conflicting uncommitted tail) and commit up to
     * {@code min(commit, index + ents.size())}.
     *
     * @return the last index now known to match the leader, or -1 if the log does not match
     */
    long maybeAppend(long index, long logTerm, long commit, List<Entry> ents) {
        if (!matchTerm(index, logTerm)) {
            return -1;
        }
        long lastNew = index + ents.size();
        long ci = findConflict(ents);
        if (ci != 0) {
            if (ci <= committed) {
                throw new IllegalStateException(
                        "entry " + ci + " conflict with committed entry [committed(" + committed + ")]");
            }
            append(ents.subList((int) (ci - (index + 1)), ents.size()));
        }
        commitTo(Math.min(commit, lastNew));
        return lastNew;
    }

    /** Appends entries to the unstable tail; returns the new last index. */
    long append(List<Entry> ents) {
        if (ents.isEmpty()) {
            return lastIndex();
        }
        long after = ents.get(0).getIndex() - 1;
        if (after < committed) {
            throw new IllegalStateException("after(" + after + ") is out of range [committed(" + committed + ")]");
        }
        unstable.truncateAndAppend(ents);
        return lastIndex();
    }

    /**
     * Index of the first entry of {@code ents} that is missing from our log or has another term
     * there; 0 if every entry is already present with the same term.
     */
    long findConflict(List<Entry> ents) {
        for (Entry e : ents) {
            if (!matchTerm(e.getIndex(), e.getTerm())) {
                return e.getIndex();
            }
        }
        return 0;
    }

    /**
     * The largest index {@code <= index} whose term is {@code <= term}, with that term; used for
     * the fast back-off on rejected appends. Returns {@code (index, 0)} when the term is unknown.
     */
    long[] findConflictByTerm(long index, long term) {
        for (; index > 0; index--) {
            if (!inBounds(index)) {
                return new long[] {index, 0};
            }
            long ourTerm = term(index);
            if (ourTerm <= term) {
                return new long[] {index, ourTerm};
            }
        }
        return new long[] {0, 0};
    }

    /** Whether a log ending at {@code (lastIndex, lastTerm)} is at least as up to date as ours. */
    boolean isUpToDate(long lasti, long term) {
        long ourTerm = lastTerm();
        return term > ourTerm || (term == ourTerm && lasti >= lastIndex());
    }

    void commitTo(long toCommit) {
        if (toCommit > committed) {
            if (lastIndex() < toCommit) {
                throw new IllegalStateException("tocommit(" + toCommit + ") is out of range [lastIndex("
                        + lastIndex() + ")]. Was the raft log corrupted, truncated, or lost?");
            }
            committed = toCommit;
        }
    }

    /** Commits {@code maxIndex} if it is beyond the commit index and has term {@code term}. */
    boolean maybeCommit(long maxIndex, long term) {
        if (maxIndex > committed && zeroTermOnOutOfBounds(maxIndex) == term) {
            commitTo(maxIndex);
            return true;
        }
        return false;
    }

    void appliedTo(long i) {
        if (i == 0) {
            return;
        }
        if (committed < i || i < applied) {
            throw new IllegalStateException("applied(" + i + ") is out of range [prevApplied(" + applied
                    + "), committed(" + committed + ")]");
        }
        applied = i;
        applying = Math.max(applying, i);
    }

    /** Restores the cursors from persisted state at start-up. */
    void initCursors(long commit, long appliedIndex) {
        if (commit < committed || commit > lastIndex()) {
            throw new IllegalStateException("state.commit " + commit + " is out of range ["
                    + committed + ", " + lastIndex() + "]");
        }
        committed = commit;
        if (appliedIndex > applied) {
            appliedTo(appliedIndex); // an applied index below the snapshot is implied by it
        }
    }

    /** Highest index that may be handed to the application: committed and durable. */
    private long maxAppliableIndex() {
        return Math.min(committed, unstable.offset() - 1);
    }

    boolean hasNextCommittedEntries() {
        if (unstable.hasInProgressOrNextSnapshot()) {
            return false; // apply the snapshot first
        }
        return applying < maxAppliableIndex() && applying + 1 >= firstIndex();
    }

    /** Committed, durable entries not yet handed to the application, limited by size. */
    List<Entry> nextCommittedEntries() {
        if (!hasNextCommittedEntries()) {
            return List.of();
        }
        return slice(applying + 1, maxAppliableIndex() + 1, maxCommittedSizePerReady);
    }

    /** The committed entries up to {@code index} were handed to the application. */
    void acceptApplying(long index) {
        applying = Math.max(applying, index);
    }

    List<Entry> nextUnstableEntries() {
        return unstable.nextEntries();
    }

    Snapshot nextUnstableSnapshot() {
        return unstable.nextSnapshot();
    }

    void acceptUnstable() {
        unstable.acceptInProgress();
    }

    void stableTo(long i, long t) {
        unstable.stableTo(i, t);
    }

    void stableSnapTo(long i) {
        unstable.stableSnapTo(i);
    }

    /** Entries from {@code i} to the end, at most {@code maxSize} bytes (at least one entry). */
    List<Entry> entries(long i, long maxSize) {
        if (i > lastIndex()) {
            return List.of();
        }
        return slice(i, lastIndex() + 1, maxSize);
    }

    /** All entries from {@code firstIndex()} on (for tests and invariant checks). */
    List<Entry> allEntries() {
        return entries(firstIndex(), Long.MAX_VALUE);
    }

    /**
     * Entries in {@code [lo, hi)}, at most {@code maxSize} bytes but at least one entry.
     *
     * @throws CompactedException if {@code lo < firstIndex()}
     */
    List<Entry> slice(long lo, long hi, long maxSize) {
        if (lo > hi) {
            throw new IllegalArgumentException("invalid slice " + lo + " > " + hi);
        }
        if (lo < firstIndex()) {
            throw new CompactedException();
        }
        if (hi > lastIndex() + 1) {
            throw new IllegalArgumentException(
                    "slice[" + lo + "," + hi + ") out of bound [" + firstIndex() + "," + lastIndex() + "]");
        }
        if (lo == hi) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        long unstableOffset = unstable.offset();
        if (lo < unstableOffset) {
            List<Entry> stored = storage.entries(lo, Math.min(hi, unstableOffset), maxSize);
            out.addAll(stored);
            if (stored.size() < Math.min(hi, unstableOffset) - lo) {
                return out; // cut by size in storage
            }
        }
        if (hi > unstableOffset) {
            out.addAll(unstable.slice(Math.max(lo, unstableOffset), hi));
        }
        return List.copyOf(EntrySizes.limit(out, maxSize));
    }

    /** The snapshot to send to a lagging follower: the pending one if any, else storage's. */
    Snapshot snapshot() {
        if (unstable.snapshot() != null) {
            return unstable.snapshot();
        }
        return storage.snapshot();
    }

    /** Replaces the log by the snapshot (follower side); the commit index jumps to it. */
    void restore(Snapshot s) {
        committed = s.getMetadata().getIndex();
        unstable.restore(s);
    }
}
