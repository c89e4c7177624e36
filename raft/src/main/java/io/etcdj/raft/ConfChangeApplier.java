package io.etcdj.raft;

import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfState;

/**
 * Applies a committed membership change (one member at a time, etcd's ConfChange v1):
 * AddNode adds a voter or promotes an existing learner; AddLearnerNode adds a learner (a voter
 * is never demoted: ignored); RemoveNode removes a voter or learner; UpdateNode changes nothing
 * in raft.
 *
 * <p>A leader that is removed steps down, first asking its most up-to-date voter to campaign at
 * once (MsgTimeoutNow) so the group does not wait a full election timeout.
 */
final class ConfChangeApplier {
  private ConfChangeApplier() {}

  static ConfState apply(Raft r, ConfChange cc) {
    long node = cc.getNodeId();
    // A new member is first probed with our last entry, so that there is something to send.
    long next = Math.max(r.log.lastIndex(), 1);
    switch (cc.getType()) {
      case ConfChangeAddNode -> r.tracker.addVoter(node, next);
      case ConfChangeAddLearnerNode -> r.tracker.addLearner(node, next);
      case ConfChangeRemoveNode -> {
        if (node == r.id && r.isLeader()) {
          handOverBeforeRemoval(r);
        }
        r.tracker.remove(node);
      }
      case ConfChangeUpdateNode -> { }
      default -> throw new IllegalArgumentException("unexpected conf type " + cc.getType());
    }
    return afterChange(r);
  }

  private static ConfState afterChange(Raft r) {
    ConfState cs = r.tracker.confState();
    Progress self = r.tracker.progress(r.id);
    if (!r.isLeader()) {
      return cs;
    }
    if (self == null || self.learner()) {
      r.becomeFollower(r.term, 0);
      return cs;
    }
    if (cs.getVotersCount() == 0) {
      return cs;
    }
    // The quorum may have shrunk (commit more) and new members need their first probe.
    if (r.maybeCommit()) {
      LeaderStep.onCommitAdvanced(r);
    } else {
      r.tracker.forEach((id, pr) -> {
        if (id != r.id) {
          Replicator.maybeSendAppend(r, id, false);
        }
      });
    }
    if (r.leadTransferee != 0 && !r.tracker.isVoter(r.leadTransferee)) {
      r.leadTransferee = 0;
    }
    return cs;
  }

  /** Leader being removed: let the most caught-up other voter take over without waiting. */
  private static void handOverBeforeRemoval(Raft r) {
    long best = 0;
    long bestMatch = -1;
    for (long v : r.tracker.voters()) {
      if (v == r.id) {
        continue;
      }
      long match = r.tracker.progress(v).match();
      if (match > bestMatch) {
        best = v;
        bestMatch = match;
      }
    }
    if (best != 0 && bestMatch == r.log.lastIndex()) {
      Replicator.sendTimeoutNow(r, best);
    }
  }
}
