package io.etcdj.raft;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The tail of the log (and possibly an incoming snapshot) that is not yet known to be durable.
 *
 * <p>Invariants: entries hold consecutive indexes starting at {@code offset}; if a snapshot is
 * present, {@code offset == snapshot.index + 1}; {@code offset <= offsetInProgress <=
 * offset + entries.size()}. Entries in {@code [offset, offsetInProgress)} have been handed out
 * in a Ready and are being persisted; {@code snapshotInProgress} likewise for the snapshot.
 */
final class UnstableLog {
  private Snapshot snapshot;
  private List<Entry> entries = new ArrayList<>();
  private long offset;
  private boolean snapshotInProgress;
  private long offsetInProgress;

  UnstableLog(long offset) {
    this.offset = offset;
    this.offsetInProgress = offset;
  }

  long offset() {
    return offset;
  }

  Snapshot snapshot() {
    return snapshot;
  }

  List<Entry> entries() {
    return entries;
  }

  /** First index if a snapshot is held (snapshot index + 1), else -1 (unknown here). */
  long maybeFirstIndex() {
    return snapshot != null ? snapshot.getMetadata().getIndex() + 1 : -1;
  }

  /** Last index held here (entries, else the snapshot), else -1. */
  long maybeLastIndex() {
    if (!entries.isEmpty()) {
      return offset + entries.size() - 1;
    }
    return snapshot != null ? snapshot.getMetadata().getIndex() : -1;
  }

  /** Term of {@code i} if known here, else -1. */
  long maybeTerm(long i) {
    if (i < offset) {
      if (snapshot != null && snapshot.getMetadata().getIndex() == i) {
        return snapshot.getMetadata().getTerm();
      }
      return -1;
    }
    long last = maybeLastIndex();
    if (last < 0 || i > last) {
      return -1;
    }
    return entries.get((int) (i - offset)).getTerm();
  }

  /** Entries not yet handed out for persistence. */
  List<Entry> nextEntries() {
    int inProgress = (int) (offsetInProgress - offset);
    if (inProgress >= entries.size()) {
      return List.of();
    }
    return List.copyOf(entries.subList(inProgress, entries.size()));
  }

  boolean hasNextEntries() {
    return offsetInProgress < offset + entries.size();
  }

  /** The snapshot if not yet handed out for persistence, else null. */
  Snapshot nextSnapshot() {
    return snapshot == null || snapshotInProgress ? null : snapshot;
  }

  boolean hasInProgressOrNextSnapshot() {
    return snapshot != null;
  }

  /** Marks everything held as handed out for persistence. */
  void acceptInProgress() {
    if (!entries.isEmpty()) {
      offsetInProgress = offset + entries.size();
    }
    if (snapshot != null) {
      snapshotInProgress = true;
    }
  }

  /**
   * Entries up to {@code (i, t)} are durable. Ignored if the entry at {@code i} no longer has
   * term {@code t} (it was overwritten since) or is covered by a pending snapshot.
   */
  void stableTo(long i, long t) {
    long gt = maybeTerm(i);
    if (gt < 0 || i < offset || gt != t) {
      return;
    }
    int num = (int) (i + 1 - offset);
    entries = new ArrayList<>(entries.subList(num, entries.size()));
    offset = i + 1;
    offsetInProgress = Math.max(offsetInProgress, offset);
  }

  void stableSnapTo(long i) {
    if (snapshot != null && snapshot.getMetadata().getIndex() == i) {
      snapshot = null;
      snapshotInProgress = false;
    }
  }

  void restore(Snapshot s) {
    offset = s.getMetadata().getIndex() + 1;
    offsetInProgress = offset;
    entries = new ArrayList<>();
    snapshot = s;
    snapshotInProgress = false;
  }

  /** Appends {@code ents}, first truncating any held entries at or after their first index. */
  void truncateAndAppend(List<Entry> ents) {
    long from = ents.get(0).getIndex();
    if (from == offset + entries.size()) {
      entries.addAll(ents);
    } else if (from <= offset) {
      entries = new ArrayList<>(ents);
      offset = from;
      offsetInProgress = offset;
    } else {
      List<Entry> kept = new ArrayList<>(entries.subList(0, (int) (from - offset)));
      kept.addAll(ents);
      entries = kept;
      offsetInProgress = Math.min(offsetInProgress, from);
    }
  }

  /** Entries in {@code [lo, hi)}, which must lie within {@code [offset, lastIndex + 1)}. */
  List<Entry> slice(long lo, long hi) {
    if (lo > hi || lo < offset || hi > offset + entries.size()) {
      throw new IllegalStateException(
          "unstable.slice[" + lo + "," + hi + ") out of bound [" + offset + "," + (offset + entries.size()) + "]");
    }
    return entries.subList((int) (lo - offset), (int) (hi - offset));
  }
}
