package io.etcdj.raft;

import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;

/** Message handling of a FOLLOWER (term rules already applied), and the replies to a leader. */
final class FollowerStep {
  private FollowerStep() {}

  static void step(Raft r, Message m) {
    switch (m.getType()) {
      case MsgProp -> {
        if (r.lead == 0 || r.disableProposalForwarding) {
          throw new ProposalDroppedException();
        }
        r.send(m.toBuilder().setTo(r.lead));
      }
      case MsgApp -> {
        r.electionElapsed = 0;
        r.lead = m.getFrom();
        handleAppendEntries(r, m);
      }
      case MsgHeartbeat -> {
        r.electionElapsed = 0;
        r.lead = m.getFrom();
        handleHeartbeat(r, m);
      }
      case MsgSnap -> {
        r.electionElapsed = 0;
        r.lead = m.getFrom();
        handleSnapshot(r, m);
      }
      case MsgTransferLeader, MsgReadIndex -> {
        if (r.lead != 0) {
          r.send(m.toBuilder().setTo(r.lead)); // keeps the original sender / transferee
        }
        // without a leader the request is dropped; the requester retries
      }
      case MsgTimeoutNow -> {
        if (r.hasUnappliedConfChanges()) {
          // e.g. the leader removed itself: campaign as soon as that change is applied here
          r.transferCampaignDeferred = true;
        } else {
          Election.hup(r, Election.Kind.TRANSFER);
        }
      }
      case MsgReadIndexResp -> {
        if (m.getEntriesCount() == 1) {
          r.readStates.add(new ReadState(m.getIndex(), m.getEntries(0).getData()));
        }
      }
      default -> { }
    }
  }

  /** Log-matching check, conflict truncation and commit; replies with a (possibly rejecting) ack. */
  static void handleAppendEntries(Raft r, Message m) {
    if (m.getIndex() < r.log.committed()) {
      // Everything up to our commit index matches any leader's log: tell it how far we are.
      r.send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MsgAppResp)
          .setIndex(r.log.committed()));
      return;
    }
    long last = r.log.maybeAppend(m.getIndex(), m.getLogTerm(), m.getCommit(), m.getEntriesList());
    if (last >= 0) {
      r.send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MsgAppResp).setIndex(last));
      return;
    }
    // Reject with a hint: the largest index <= the probe whose term is <= the probe's term.
    // The leader then skips every index of ours that cannot match in one round trip.
    long hintIndex = Math.min(m.getIndex(), r.log.lastIndex());
    long[] hint = r.log.findConflictByTerm(hintIndex, m.getLogTerm());
    r.send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MsgAppResp)
        .setIndex(m.getIndex()).setReject(true).setRejectHint(hint[0]).setLogTerm(hint[1]));
  }

  static void handleHeartbeat(Raft r, Message m) {
    r.log.commitTo(m.getCommit());
    r.send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MsgHeartbeatResp)
        .setContext(m.getContext()));
  }

  static void handleSnapshot(Raft r, Message m) {
    long index = r.restore(m.getSnapshot()) ? r.log.lastIndex() : r.log.committed();
    r.send(Message.newBuilder().setTo(m.getFrom()).setType(MessageType.MsgAppResp).setIndex(index));
  }
}
