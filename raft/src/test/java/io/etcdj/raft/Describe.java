package io.etcdj.raft;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.Message;
import java.util.List;
import java.util.stream.Collectors;

/** One-line, human-readable renderings of messages and entries for scenario traces. */
final class Describe {
  private Describe() {}

  /** e.g. {@code 1->2 MsgApp term=1 logTerm=1 index=3 commit=3 entries=[1/4 EntryNormal "x"]}. */
  static String message(Message m) {
    StringBuilder sb = new StringBuilder();
    sb.append(m.getFrom()).append("->").append(m.getTo()).append(' ').append(m.getType().name());
    sb.append(" term=").append(m.getTerm());
    switch (m.getType()) {
      case MsgApp -> sb.append(" logTerm=").append(m.getLogTerm()).append(" index=").append(m.getIndex())
          .append(" commit=").append(m.getCommit());
      case MsgAppResp -> {
        sb.append(" index=").append(m.getIndex());
        if (m.getReject()) {
          sb.append(" reject hint=").append(m.getRejectHint()).append(" hintTerm=").append(m.getLogTerm());
        }
      }
      case MsgVote, MsgPreVote -> sb.append(" logTerm=").append(m.getLogTerm()).append(" index=").append(m.getIndex());
      case MsgVoteResp, MsgPreVoteResp -> sb.append(m.getReject() ? " reject" : " granted");
      case MsgHeartbeat -> sb.append(" commit=").append(m.getCommit());
      case MsgSnap -> sb.append(" snap=").append(m.getSnapshot().getMetadata().getTerm()).append('/')
          .append(m.getSnapshot().getMetadata().getIndex()).append(" voters=")
          .append(m.getSnapshot().getMetadata().getConfState().getVotersList());
      case MsgReadIndexResp -> sb.append(" index=").append(m.getIndex());
      default -> { }
    }
    if (!m.getContext().isEmpty()) {
      sb.append(" ctx=").append(quote(m.getContext()));
    }
    if (m.getEntriesCount() > 0) {
      sb.append(" entries=").append(entries(m.getEntriesList()));
    }
    return sb.toString();
  }

  static String entries(List<Entry> es) {
    return es.stream().map(Describe::entry).collect(Collectors.joining(", ", "[", "]"));
  }

  /** {@code term/index Type "data"}; conf changes are decoded. */
  static String entry(Entry e) {
    StringBuilder sb = new StringBuilder();
    sb.append(e.getTerm()).append('/').append(e.getIndex()).append(' ').append(e.getType().name());
    if (e.getType() == EntryType.EntryConfChange) {
      try {
        ConfChange cc = ConfChange.parseFrom(e.getData());
        sb.append(' ').append(cc.getType().name().replace("ConfChange", "")).append(' ').append(cc.getNodeId());
      } catch (InvalidProtocolBufferException ex) {
        sb.append(" <bad conf change>");
      }
    } else if (!e.getData().isEmpty()) {
      sb.append(' ').append(quote(e.getData()));
    }
    return sb.toString();
  }

  static String quote(ByteString b) {
    return '"' + b.toStringUtf8() + '"';
  }
}
