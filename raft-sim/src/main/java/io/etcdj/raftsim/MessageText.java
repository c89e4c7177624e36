package io.etcdj.raftsim;

import io.etcdj.raft.pb.Message;

/** A compact one-line rendering of a raft message for the event trace. */
final class MessageText {
    private MessageText() {}

    static String of(Message m) {
        StringBuilder s = new StringBuilder(64);
        s.append(m.getType().name()).append(' ').append(m.getFrom()).append("->").append(m.getTo())
                .append(" term=").append(m.getTerm());
        switch (m.getType()) {
            case MsgApp, MsgPreVote, MsgVote -> s.append(" logTerm=").append(m.getLogTerm())
                    .append(" index=").append(m.getIndex());
            case MsgAppResp -> s.append(" index=").append(m.getIndex());
            default -> { }
        }
        if (m.getEntriesCount() > 0) {
            s.append(" entries=").append(m.getEntries(0).getIndex()).append("..")
                    .append(m.getEntries(m.getEntriesCount() - 1).getIndex());
        }
        if (m.getCommit() != 0) {
            s.append(" commit=").append(m.getCommit());
        }
        if (m.getReject()) {
            s.append(" REJECT hint=").append(m.getRejectHint());
        }
        if (m.hasSnapshot() && m.getSnapshot().hasMetadata() && m.getSnapshot().getMetadata().getIndex() != 0) {
            s.append(" snapshot=").append(m.getSnapshot().getMetadata().getIndex())
                    .append('/').append(m.getSnapshot().getMetadata().getTerm());
        }
        if (!m.getContext().isEmpty()) {
            s.append(" ctx=").append(m.getContext().size()).append('B');
        }
        return s.toString();
    }
}
