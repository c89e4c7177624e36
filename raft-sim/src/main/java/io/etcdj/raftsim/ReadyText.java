package io.etcdj.raftsim;

import io.etcdj.raft.Ready;
import io.etcdj.raft.pb.Entry;
import java.util.List;

/** A compact one-line summary of a Ready for the event trace. */
final class ReadyText {
    private ReadyText() {}

    static String of(Ready rd) {
        StringBuilder s = new StringBuilder();
        if (rd.softState() != null) {
            s.append(" soft=").append(rd.softState().role()).append("/lead=").append(rd.softState().lead());
        }
        if (rd.hardState() != null) {
            s.append(" hard=term:").append(rd.hardState().getTerm()).append(",vote:").append(rd.hardState().getVote())
                    .append(",commit:").append(rd.hardState().getCommit());
        }
        if (rd.snapshot() != null) {
            s.append(" snapshot=").append(rd.snapshot().getMetadata().getIndex());
        }
        range(s, " entries=", rd.entries());
        range(s, " apply=", rd.committedEntries());
        if (!rd.messagesAfterPersist().isEmpty()) {
            s.append(" thenSend=").append(rd.messagesAfterPersist().size());
        }
        return s.length() == 0 ? "(empty)" : s.substring(1);
    }

    private static void range(StringBuilder s, String label, List<Entry> entries) {
        if (!entries.isEmpty()) {
            s.append(label).append(entries.get(0).getIndex()).append("..")
                    .append(entries.get(entries.size() - 1).getIndex()).append("@t")
                    .append(entries.get(entries.size() - 1).getTerm());
        }
    }
}
