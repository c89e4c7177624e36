package io.etcdj.raft;

import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;

/**
 * Starting elections and answering vote requests.
 *
 * <p>Safety rules enforced here: a member votes at most once per term (the vote is part of the
 * hard state and the response waits for it to be durable); it only grants a vote to a candidate
 * whose log is at least as up to date as its own; learners and members waiting on a snapshot
 * never campaign; a pre-vote changes neither term nor vote anywhere.
 */
final class Election {
  enum Kind {
    /** Ask first whether we could win, without raising anyone's term. */
    PRE_ELECTION,
    ELECTION,
    /** Forced by the leader (MsgTimeoutNow): skips pre-vote and the voters' leader lease. */
    TRANSFER
  }

  private Election() {}

  /** Starts an election if this member may: it is not leader and has no unapplied conf change. */
  static void hup(Raft r, Kind kind) {
    if (r.isLeader() || !r.promotable()) {
      return;
    }
    if (r.hasUnappliedConfChanges()) {
      return; // the configuration we would campaign in is not settled yet
    }
    campaign(r, kind);
  }

  static void campaign(Raft r, Kind kind) {
    if (!r.promotable()) {
      return;
    }
    MessageType voteMsg;
    long voteTerm;
    if (kind == Kind.PRE_ELECTION) {
      r.becomePreCandidate();
      voteMsg = MessageType.MsgPreVote;
      voteTerm = r.term + 1; // the term we would campaign in; ours does not change
    } else {
      r.becomeCandidate();
      voteMsg = MessageType.MsgVote;
      voteTerm = r.term;
    }
    if (poll(r, r.id, true) == VoteResult.WON) {
      // a single-voter group wins at once
      if (kind == Kind.PRE_ELECTION) {
        campaign(r, Kind.ELECTION);
      } else {
        r.becomeLeader();
      }
      return;
    }
    long lastIndex = r.log.lastIndex();
    long lastTerm = r.log.lastTerm();
    for (long voter : r.tracker.voters()) {
      if (voter == r.id) {
        continue;
      }
      Message.Builder m = Message.newBuilder()
          .setTo(voter).setType(voteMsg).setTerm(voteTerm)
          .setIndex(lastIndex).setLogTerm(lastTerm);
      if (kind == Kind.TRANSFER) {
        m.setContext(Raft.CAMPAIGN_TRANSFER);
      }
      r.send(m);
    }
  }

  static VoteResult poll(Raft r, long from, boolean granted) {
    return r.tracker.recordVote(from, granted);
  }

  /** Answers MsgVote / MsgPreVote whose term is not below ours (the term rules already ran). */
  static void handleVoteRequest(Raft r, Message m) {
    boolean preVote = m.getType() == MessageType.MsgPreVote;
    MessageType respType = preVote ? MessageType.MsgPreVoteResp : MessageType.MsgVoteResp;
    boolean canVote = r.vote == m.getFrom()
        // we have not voted and know no leader in this term
        || (r.vote == 0 && r.lead == 0)
        // a pre-vote for a future term: we would be free to vote then
        || (preVote && m.getTerm() > r.term);
    if (canVote && r.log.isUpToDate(m.getIndex(), m.getLogTerm())) {
      // The response carries the request's term: for a pre-vote that is a future term, which
      // the pre-candidate recognises; a granted real vote is at our (now equal) term.
      r.send(Message.newBuilder().setTo(m.getFrom()).setTerm(m.getTerm()).setType(respType));
      if (!preVote) {
        r.electionElapsed = 0;
        r.vote = m.getFrom();
      }
    } else {
      r.send(Message.newBuilder().setTo(m.getFrom()).setTerm(r.term).setType(respType).setReject(true));
    }
  }
}
