package io.etcdj.server.transport;

import io.etcdj.server.config.EtcdVersion;
import io.etcdj.server.membership.Membership;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * etcd's rafthttp endpoints under {@code /raft} as a plain HTTP client meets them: the pipeline
 * ({@code POST /raft}), snapshots ({@code POST /raft/snapshot}) and streams ({@code GET
 * /raft/stream/{msgapp,message}/<from-id-hex>}) check method, version headers, cluster ID and
 * sender exactly as etcd does, with its status codes and texts. Our members exchange raft
 * messages over gRPC on this same port, so a request that passes every check (only an etcd
 * member of this very cluster could send one) is answered 501, see {@link #GRPC_ONLY}.
 */
final class PeerRaftHttp {
    /** The text of the 501 past every check. */
    static final String GRPC_ONLY = "etcdj members exchange raft messages over gRPC, not etcd's rafthttp";

    private PeerRaftHttp() {
    }

    /** {@code /raft} and {@code /raft/snapshot}: POST only, then the compatibility checks. */
    static PeerHttpAnswer pipelineOrSnapshot(PeerHttpRequest r, Membership m) {
        if (!r.method().equals("POST")) {
            return PeerHttpAnswer.methodNotAllowed("POST");
        }
        List<Map.Entry<String, String>> set = List.of(Map.entry(PeerHttpAnswer.CLUSTER_ID, hex(m.clusterId())));
        PeerHttpAnswer refused = compatibility(r, m, set);
        if (refused != null) {
            return refused;
        }
        return PeerHttpAnswer.error(501, GRPC_ONLY, set);
    }

    /** {@code /raft/stream/...}: GET only, the checks, then the stream type, sender and receiver. */
    static PeerHttpAnswer stream(PeerHttpRequest r, PeerHttpMember member, Membership m) {
        if (!r.method().equals("GET")) {
            return PeerHttpAnswer.methodNotAllowed("GET");
        }
        List<Map.Entry<String, String>> set = List.of(Map.entry("X-Server-Version", EtcdVersion.SERVER),
                Map.entry(PeerHttpAnswer.CLUSTER_ID, hex(m.clusterId())));
        PeerHttpAnswer refused = compatibility(r, m, set);
        if (refused != null) {
            return refused;
        }
        String path = r.path();
        int slash = path.lastIndexOf('/');
        String dir = slash <= 0 ? "/" : path.substring(0, slash);
        if (!dir.equals("/raft/stream/msgapp") && !dir.equals("/raft/stream/message")) {
            return PeerHttpAnswer.error(404, "invalid path", set);
        }
        long from;
        try {
            from = Long.parseUnsignedLong(path.substring(slash + 1), 16);
        } catch (NumberFormatException e) {
            return PeerHttpAnswer.error(404, "invalid from", set);
        }
        if (m.isRemoved(from)) {
            return PeerHttpAnswer.error(410, "removed member", set);
        }
        if (from == member.id() || m.member(from) == null) {
            return PeerHttpAnswer.error(404, "error sender not found", set);
        }
        if (!r.header("X-Raft-To").equals(hex(member.id()))) {
            return PeerHttpAnswer.error(412, "to field mismatch", set);
        }
        return PeerHttpAnswer.error(501, GRPC_ONLY, set);
    }

    /**
     * etcd's checkClusterCompatibilityFromHeader: the sender's X-Server-Version (2.0.0 when absent)
     * must not be below our minimum cluster version, its X-Min-Cluster-Version (2.0.0 when absent)
     * not above our version (major.minor compared), and X-Etcd-Cluster-ID must be ours. A version
     * that does not parse makes etcd's handler panic: the connection is dropped.
     */
    private static PeerHttpAnswer compatibility(PeerHttpRequest r, Membership m, List<Map.Entry<String, String>> set) {
        int[] server = majorMinor(orDefault(r.header("X-Server-Version")));
        int[] minCluster = majorMinor(orDefault(r.header("X-Min-Cluster-Version")));
        if (server == null || minCluster == null) {
            return PeerHttpAnswer.dropped();
        }
        if (compare(server, majorMinor(EtcdVersion.MIN_CLUSTER)) < 0
                || compare(minCluster, majorMinor(EtcdVersion.SERVER)) > 0) {
            return PeerHttpAnswer.error(412, "incompatible version", set);
        }
        if (!r.header("X-Etcd-Cluster-ID").equals(hex(m.clusterId()))) {
            return PeerHttpAnswer.error(412, "cluster ID mismatch", set);
        }
        return null;
    }

    private static String orDefault(String version) {
        return version.isEmpty() ? "2.0.0" : version;
    }

    /** major and minor of a semantic version "X.Y.Z[-pre][+build]"; null when it is not one. */
    static int[] majorMinor(String version) {
        String core = version.split("[-+]", 2)[0];
        String[] parts = core.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        List<Integer> numbers = new ArrayList<>();
        for (String p : parts) {
            if (p.isEmpty() || !p.chars().allMatch(Character::isDigit) || (p.length() > 1 && p.charAt(0) == '0')) {
                return null;
            }
            try {
                numbers.add(Integer.parseInt(p));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return new int[] {numbers.get(0), numbers.get(1)};
    }

    private static int compare(int[] a, int[] b) {
        return a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(a[1], b[1]);
    }

    static String hex(long id) {
        return Long.toHexString(id);
    }
}
