package io.etcdj.raft;

/**
 * The leader's view of one member: how much of the log it holds and how to send it more.
 *
 * <p>Invariants: {@code 0 <= match < next}; in {@link ProgressState#SNAPSHOT},
 * {@code pendingSnapshot > 0}; the inflight window is only used in
 * {@link ProgressState#REPLICATE}. {@code probeSent} pauses a probing follower until it answers.
 */
final class Progress {
  private long match;
  private long next;
  private ProgressState state = ProgressState.PROBE;
  private long pendingSnapshot;
  private boolean recentActive;
  private boolean probeSent;
  private boolean learner;
  private final Inflights inflights;

  Progress(long match, long next, Inflights inflights, boolean learner) {
    this.match = match;
    this.next = next;
    this.inflights = inflights;
    this.learner = learner;
  }

  long match() { return match; }
  long next() { return next; }
  ProgressState state() { return state; }
  long pendingSnapshot() { return pendingSnapshot; }
  boolean recentActive() { return recentActive; }
  boolean learner() { return learner; }
  Inflights inflights() { return inflights; }

  void setLearner(boolean learner) { this.learner = learner; }
  void setRecentActive(boolean active) { this.recentActive = active; }
  void setMatch(long match) { this.match = match; }

  /** Unpauses a probe: the follower answered, so another probe may be sent. */
  void resume() {
    probeSent = false;
  }

  /** Pauses a probe until the follower answers (a heartbeat response also unpauses). */
  void pauseProbe() {
    probeSent = true;
  }

  private void resetState(ProgressState newState) {
    probeSent = false;
    pendingSnapshot = 0;
    state = newState;
    inflights.reset();
  }

  void becomeProbe() {
    if (state == ProgressState.SNAPSHOT) {
      long pending = pendingSnapshot;
      resetState(ProgressState.PROBE);
      next = Math.max(match + 1, pending + 1);
    } else {
      resetState(ProgressState.PROBE);
      next = match + 1;
    }
  }

  void becomeReplicate() {
    resetState(ProgressState.REPLICATE);
    next = match + 1;
  }

  void becomeSnapshot(long snapshotIndex) {
    resetState(ProgressState.SNAPSHOT);
    pendingSnapshot = snapshotIndex;
  }

  /**
   * The follower acknowledged {@code n}. Returns true if that moved {@code match} forward;
   * {@code next} never falls behind {@code n + 1}.
   */
  boolean maybeUpdate(long n) {
    boolean updated = false;
    if (match < n) {
      match = n;
      updated = true;
      resume();
    }
    next = Math.max(next, n + 1);
    return updated;
  }

  /** An append of {@code count} entries ending at {@code lastIndex} was sent. */
  void sentEntries(int count, long lastIndex, long bytes) {
    if (state == ProgressState.REPLICATE) {
      if (count > 0) {
        next = lastIndex + 1;
        inflights.add(lastIndex, bytes);
      }
    } else if (state == ProgressState.PROBE) {
      probeSent = true;
    }
  }

  /**
   * The follower rejected an append at {@code rejected}; {@code matchHint} is the highest index
   * that may match. Returns false if the rejection is stale (answers an older message).
   */
  boolean maybeDecrTo(long rejected, long matchHint) {
    if (state == ProgressState.REPLICATE) {
      if (rejected <= match) {
        return false;
      }
      next = match + 1;
      return true;
    }
    if (next - 1 != rejected) {
      return false;
    }
    next = Math.max(Math.min(rejected, matchHint + 1), match + 1);
    probeSent = false;
    return true;
  }

  /** Whether sending appends is paused (waiting for a probe answer, full window, or snapshot). */
  boolean isPaused() {
    return switch (state) {
      case PROBE -> probeSent;
      case REPLICATE -> inflights.full();
      case SNAPSHOT -> true;
    };
  }

  PeerProgress view() {
    return new PeerProgress(match, next, state, recentActive, learner, pendingSnapshot, inflights.count());
  }

  @Override
  public String toString() {
    return state + " match=" + match + " next=" + next
        + (learner ? " learner" : "") + (probeSent ? " paused" : "")
        + (pendingSnapshot > 0 ? " pendingSnap=" + pendingSnapshot : "")
        + (recentActive ? "" : " inactive");
  }
}
