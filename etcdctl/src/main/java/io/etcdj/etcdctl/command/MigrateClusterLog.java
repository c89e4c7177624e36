package io.etcdj.etcdctl.command;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.etcdctl.client.ZapLine;
import io.etcdj.etcdutl.V2KeysMigration.RaftHistory;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.server.pb.InternalRaftRequest;
import io.etcdj.server.pb.MemberRecord;
import io.etcdj.server.pb.MembershipRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What etcdctl 3.4's {@code migrate} logs while it rebuilds the cluster from a data dir: its
 * membership code runs with zap's example logger (lines on stdout, no time, no caller) for a
 * cluster whose ID and local member it never learns (both "0").
 *
 * <p>From a snapshot it recovers the members ("recovered/added member from store", by ID: etcd's
 * order is a Go map's, i.e. random). Then, for the WAL's entries in order: a conf change that etcd's
 * validation accepts is logged as an added, removed or updated member (learners are never added,
 * so their promotion is refused and silent), and each cluster version decision as the initial or
 * an updated version, followed by "enabled capabilities for version" when the version goes up.
 * The cluster version held at the snapshot is not in our snapshot file, so it is not logged.
 */
final class MigrateClusterLog {
    private static final String UNKNOWN_ID = "0";

    /** Peer URLs by member ID, as etcd's v2 membership records hold them. */
    private final Map<Long, List<String>> members = new TreeMap<>();
    private final Set<Long> removed = new HashSet<>();
    private final Set<Long> learners = new HashSet<>();
    private final List<String> lines = new ArrayList<>();
    private String version;
    private String capabilities;

    private MigrateClusterLog() {
    }

    static List<String> lines(RaftHistory history) {
        MigrateClusterLog log = new MigrateClusterLog();
        history.snapshot().ifPresent(s -> log.recover(s.getData()));
        for (Entry e : history.entries()) {
            if (e.getType() == EntryType.EntryConfChange) {
                log.confChange(e);
            } else if (e.getType() == EntryType.EntryNormal && !e.getData().isEmpty()) {
                log.request(e);
            }
        }
        return log.lines;
    }

    private void recover(ByteString data) {
        MembershipRecord record;
        try {
            record = MembershipRecord.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        record.getMembersList().forEach(m -> members.put(m.getId(), m.getPeerUrlsList()));
        removed.addAll(record.getRemovedList());
        for (Map.Entry<Long, List<String>> m : members.entrySet()) {
            lines.add(ZapLine.example("info", "recovered/added member from store", "cluster-id", UNKNOWN_ID,
                    "local-member-id", UNKNOWN_ID, "recovered-remote-peer-id", Long.toHexString(m.getKey()),
                    "recovered-remote-peer-urls", m.getValue()));
        }
    }

    private void confChange(Entry e) {
        ConfChange cc;
        try {
            cc = ConfChange.parseFrom(e.getData());
        } catch (InvalidProtocolBufferException corrupt) {
            return;
        }
        long id = cc.getNodeId();
        if (removed.contains(id)) {
            return;
        }
        switch (cc.getType()) {
            case ConfChangeAddLearnerNode -> learners.add(id);
            case ConfChangeAddNode -> {
                List<String> urls = peerUrls(cc);
                if (members.containsKey(id) || learners.contains(id) || urls == null || usedByOthers(urls, id)) {
                    return;
                }
                members.put(id, urls);
                lines.add(ZapLine.example("info", "added member", "cluster-id", UNKNOWN_ID, "local-member-id",
                        UNKNOWN_ID, "added-peer-id", Long.toHexString(id), "added-peer-peer-urls", urls));
            }
            case ConfChangeRemoveNode -> {
                List<String> urls = members.remove(id);
                if (urls == null) {
                    return;
                }
                removed.add(id);
                lines.add(ZapLine.example("info", "removed member", "cluster-id", UNKNOWN_ID, "local-member-id",
                        UNKNOWN_ID, "removed-remote-peer-id", Long.toHexString(id), "removed-remote-peer-urls", urls));
            }
            case ConfChangeUpdateNode -> {
                List<String> urls = peerUrls(cc);
                if (!members.containsKey(id) || urls == null || usedByOthers(urls, id)) {
                    return;
                }
                members.put(id, urls);
                lines.add(ZapLine.example("info", "updated member", "cluster-id", UNKNOWN_ID, "local-member-id",
                        UNKNOWN_ID, "updated-remote-peer-id", Long.toHexString(id), "updated-remote-peer-urls", urls));
            }
            default -> { }
        }
    }

    private void request(Entry e) {
        InternalRaftRequest r;
        try {
            r = InternalRaftRequest.parseFrom(e.getData());
        } catch (InvalidProtocolBufferException notARequest) {
            return;
        }
        if (r.getRequestCase() != InternalRaftRequest.RequestCase.CLUSTER_VERSION_SET) {
            return;
        }
        String next = majorMinor(r.getClusterVersionSet().getVer());
        if (version == null) {
            lines.add(ZapLine.example("info", "set initial cluster version", "cluster-id", UNKNOWN_ID,
                    "local-member-id", UNKNOWN_ID, "cluster-version", next));
        } else { // etcd names both fields "from"
            lines.add(ZapLine.example("info", "updated cluster version", "cluster-id", UNKNOWN_ID,
                    "local-member-id", UNKNOWN_ID, "from", version, "from", next));
        }
        version = next;
        if (capabilities == null || compare(capabilities, next) < 0) {
            capabilities = next;
            lines.add(ZapLine.example("info", "enabled capabilities for version", "cluster-version", next));
        }
    }

    private static List<String> peerUrls(ConfChange cc) {
        try {
            return MemberRecord.parseFrom(cc.getContext()).getPeerUrlsList();
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    private boolean usedByOthers(List<String> urls, long id) {
        for (Map.Entry<Long, List<String>> m : members.entrySet()) {
            if (m.getKey() != id && m.getValue().stream().anyMatch(urls::contains)) {
                return true;
            }
        }
        return false;
    }

    /** "3.4.0" as etcd shows a cluster version: "3.4". */
    static String majorMinor(String semver) {
        String[] parts = semver.split("\\.");
        return parts.length >= 2 ? parts[0] + "." + parts[1] : semver;
    }

    private static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
