package io.etcdj.raft;

import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;

/** Message handling of a PRE_CANDIDATE or CANDIDATE (term rules already applied). */
final class CandidateStep {
  private CandidateStep() {}

  static void step(Raft r, Message m) {
    MessageType myVoteResp = r.role == StateRole.PRE_CANDIDATE
        ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
    switch (m.getType()) {
      case MsgProp -> throw new ProposalDroppedException(); // no leader
      case MsgApp -> {
        r.becomeFollower(m.getTerm(), m.getFrom()); // a leader of our term exists
        FollowerStep.handleAppendEntries(r, m);
      }
      case MsgHeartbeat -> {
        r.becomeFollower(m.getTerm(), m.getFrom());
        FollowerStep.handleHeartbeat(r, m);
      }
      case MsgSnap -> {
        r.becomeFollower(m.getTerm(), m.getFrom());
        FollowerStep.handleSnapshot(r, m);
      }
      case MsgTimeoutNow, MsgReadIndex, MsgTransferLeader -> {
        // nobody to forward to; the requester times out and retries
      }
      default -> {
        if (m.getType() == myVoteResp) {
          switch (Election.poll(r, m.getFrom(), !m.getReject())) {
            case WON -> {
              if (r.role == StateRole.PRE_CANDIDATE) {
                Election.campaign(r, Election.Kind.ELECTION);
              } else {
                r.becomeLeader();
                Replicator.bcastAppend(r);
              }
            }
            case LOST -> r.becomeFollower(r.term, 0);
            case PENDING -> { }
          }
        }
      }
    }
  }
}
