package io.etcdj.raft;

import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages waiting to go into the next {@link Ready}, split by whether they may leave before the
 * state of that Ready is durable.
 *
 * <p>Invariant: every message that acknowledges or asks for a vote or an append
 * (MsgAppResp, MsgHeartbeatResp, MsgVote, MsgVoteResp, MsgPreVote, MsgPreVoteResp) is in
 * {@code afterPersist}: it may only be sent once the entries, term and vote it depends on are
 * durable.
 */
final class Outbox {
  private List<Message> immediate = new ArrayList<>();
  private List<Message> afterPersist = new ArrayList<>();

  static boolean needsPersistFirst(MessageType t) {
    return switch (t) {
      case MsgAppResp, MsgHeartbeatResp, MsgVote, MsgVoteResp, MsgPreVote, MsgPreVoteResp -> true;
      default -> false;
    };
  }

  void add(Message m) {
    if (needsPersistFirst(m.getType())) {
      afterPersist.add(m);
    } else {
      immediate.add(m);
    }
  }

  boolean isEmpty() {
    return immediate.isEmpty() && afterPersist.isEmpty();
  }

  List<Message> takeImmediate() {
    List<Message> out = immediate;
    immediate = new ArrayList<>();
    return out;
  }

  List<Message> takeAfterPersist() {
    List<Message> out = afterPersist;
    afterPersist = new ArrayList<>();
    return out;
  }
}
