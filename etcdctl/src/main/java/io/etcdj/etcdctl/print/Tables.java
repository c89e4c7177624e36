package io.etcdj.etcdctl.print;

import io.etcdj.api.etcdserverpb.Member;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.StatusResponse;
import java.util.ArrayList;
import java.util.List;

/** The header and rows etcdctl builds for member list and endpoint results (simple and table). */
public final class Tables {
    public static final List<String> MEMBER_HEADER =
            List.of("ID", "Status", "Name", "Peer Addrs", "Client Addrs", "Is Learner");
    public static final List<String> HEALTH_HEADER = List.of("endpoint", "health", "took", "error");
    public static final List<String> STATUS_HEADER = List.of("endpoint", "ID", "version", "db size", "is leader",
            "is learner", "raft term", "raft index", "raft applied index", "errors");
    public static final List<String> HASH_HEADER = List.of("endpoint", "hash");

    private Tables() {}

    public static List<List<String>> memberRows(MemberListResponse r) {
        List<List<String>> rows = new ArrayList<>();
        for (Member m : r.getMembersList()) {
            rows.add(List.of(Long.toHexString(m.getID()), m.getName().isEmpty() ? "unstarted" : "started",
                    m.getName(), String.join(",", m.getPeerURLsList()), String.join(",", m.getClientURLsList()),
                    Boolean.toString(m.getIsLearner())));
        }
        return rows;
    }

    public static List<List<String>> healthRows(List<EndpointHealth> hs) {
        List<List<String>> rows = new ArrayList<>();
        for (EndpointHealth h : hs) {
            rows.add(List.of(h.endpoint(), Boolean.toString(h.health()), h.took(), h.error()));
        }
        return rows;
    }

    public static List<List<String>> statusRows(List<EndpointStatus> ss) {
        List<List<String>> rows = new ArrayList<>();
        for (EndpointStatus s : ss) {
            StatusResponse r = s.status();
            rows.add(List.of(s.endpoint(), Long.toHexString(r.getHeader().getMemberId()), r.getVersion(),
                    HumanBytes.format(r.getDbSize()), Boolean.toString(r.getLeader() == r.getHeader().getMemberId()),
                    Boolean.toString(r.getIsLearner()), Long.toUnsignedString(r.getRaftTerm()),
                    Long.toUnsignedString(r.getRaftIndex()), Long.toUnsignedString(r.getRaftAppliedIndex()),
                    String.join(", ", r.getErrorsList())));
        }
        return rows;
    }

    public static List<List<String>> hashRows(List<EndpointHashKV> hs) {
        List<List<String>> rows = new ArrayList<>();
        for (EndpointHashKV h : hs) {
            rows.add(List.of(h.endpoint(), Integer.toUnsignedString(h.hash().getHash())));
        }
        return rows;
    }
}
