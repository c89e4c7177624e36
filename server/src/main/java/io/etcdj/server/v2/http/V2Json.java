package io.etcdj.server.v2.http;

import io.etcdj.server.config.GoDuration;
import io.etcdj.server.raft.RaftStats;
import io.etcdj.server.v2.store.NodeView;
import io.etcdj.server.v2.store.V2Error;
import io.etcdj.server.v2.store.V2Event;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** etcd's v2 JSON shapes: events, nodes, errors, members, simple messages. */
public final class V2Json {
    private V2Json() {
    }

    /** An event as json.Encoder writes it (newline-terminated); node/prevNode omitted when null. */
    static String event(V2Event e) {
        GoJson j = new GoJson().beginObject().field("action", e.action());
        if (e.node() != null) {
            node(j.name("node"), e.node());
        }
        if (e.prevNode() != null) {
            node(j.name("prevNode"), e.prevNode());
        }
        return j.endObject() + "\n";
    }

    public static void node(GoJson j, NodeView n) {
        j.beginObject();
        if (n.key() != null && !n.key().isEmpty()) {
            j.field("key", n.key());
        }
        if (n.dir()) {
            j.name("dir").value(true);
        }
        if (n.value() != null) {
            j.field("value", n.value());
        }
        if (n.expiration() != null) {
            j.name("expiration").time(n.expiration());
        }
        if (n.ttl() != 0) {
            j.field("ttl", n.ttl());
        }
        if (n.nodes() != null && !n.nodes().isEmpty()) {
            j.name("nodes").beginArray();
            for (NodeView c : n.nodes()) {
                node(j, c);
            }
            j.endArray();
        }
        if (n.modifiedIndex() != 0) {
            j.field("modifiedIndex", n.modifiedIndex());
        }
        if (n.createdIndex() != 0) {
            j.field("createdIndex", n.createdIndex());
        }
        j.endObject();
    }

    /** The v2 error body (newline-terminated); cause omitted when empty. */
    static String error(V2Error e) {
        GoJson j = new GoJson().beginObject().field("errorCode", e.code()).field("message", e.errorMessage());
        if (e.errorCause() != null && !e.errorCause().isEmpty()) {
            j.field("cause", e.errorCause());
        }
        return j.field("index", e.index()).endObject() + "\n";
    }

    /** {"message": ...} as the members API writes its errors (json.Marshal: no newline). */
    static String message(String message) {
        return new GoJson().beginObject().field("message", message).endObject().toString();
    }

    static void member(GoJson j, V2Member m) {
        j.beginObject().field("id", Long.toHexString(m.id())).field("name", m.name());
        stringArray(j.name("peerURLs"), m.peerUrls());
        stringArray(j.name("clientURLs"), m.clientUrls());
        j.endObject();
    }

    /**
     * etcd's /v2/stats/self: {@code state} is StateLeader/StateFollower, times are unix nanoseconds;
     * the rates are left out while zero (omitempty).
     */
    public static String selfStats(String name, long id, String state, long startUnixNanos,
                                   RaftStats.Self s, long nowUnixNanos) {
        GoJson j = new GoJson().beginObject().field("name", name).field("id", Long.toHexString(id))
                .field("state", state).name("startTime").time(instant(startUnixNanos));
        // no leader seen yet: etcd's empty name
        j.name("leaderInfo").beginObject().field("leader", s.leader() == 0 ? "" : Long.toHexString(s.leader()))
                .field("uptime", GoDuration.format(
                        Duration.ofNanos(Math.max(0, nowUnixNanos - s.leaderSinceUnixNanos()))))
                .name("startTime").time(instant(s.leaderSinceUnixNanos())).endObject();
        j.field("recvAppendRequestCnt", s.receivedAppends());
        if (s.receivedPerSecond() != 0) {
            j.field("recvPkgRate", s.receivedPerSecond());
        }
        if (s.receivedBytesPerSecond() != 0) {
            j.field("recvBandwidthRate", s.receivedBytesPerSecond());
        }
        j.field("sendAppendRequestCnt", s.sentAppends());
        if (s.sentPerSecond() != 0) {
            j.field("sendPkgRate", s.sentPerSecond());
        }
        if (s.sentBytesPerSecond() != 0) {
            j.field("sendBandwidthRate", s.sentBytesPerSecond());
        }
        return j.endObject().toString();
    }

    /** etcd's /v2/stats/leader: per follower its link latency (milliseconds) and hand-over counts. */
    public static String leaderStats(long leader, List<RaftStats.Follower> followers) {
        GoJson j = new GoJson().beginObject().field("leader", Long.toHexString(leader)).name("followers").beginObject();
        for (RaftStats.Follower f : followers) {
            j.name(Long.toHexString(f.id())).beginObject();
            j.name("latency").beginObject().field("current", f.currentMillis()).field("average", f.averageMillis())
                    .field("standardDeviation", f.standardDeviationMillis()).field("minimum", f.minimumMillis())
                    .field("maximum", f.maximumMillis()).endObject();
            j.name("counts").beginObject().field("fail", f.failures()).field("success", f.successes()).endObject();
            j.endObject();
        }
        return j.endObject().endObject().toString();
    }

    private static Instant instant(long unixNanos) {
        return Instant.ofEpochSecond(0, unixNanos);
    }

    /** etcd's raftAttributes record of a member: {"peerURLs":[...]} and, for a learner, "isLearner":true. */
    public static String raftAttributes(List<String> peerUrls, boolean learner) {
        GoJson j = new GoJson().beginObject();
        stringArray(j.name("peerURLs"), peerUrls);
        if (learner) {
            j.name("isLearner").value(true);
        }
        return j.endObject().toString();
    }

    /** etcd's attributes record of a member: {"name":...,"clientURLs":[...]}. */
    public static String attributes(String name, List<String> clientUrls) {
        GoJson j = new GoJson().beginObject().field("name", name);
        stringArray(j.name("clientURLs"), clientUrls);
        return j.endObject().toString();
    }

    static void stringArray(GoJson j, List<String> values) {
        j.beginArray();
        for (String v : values) {
            j.value(v);
        }
        j.endArray();
    }

    static String flatObject(Map<String, Long> fields) {
        GoJson j = new GoJson().beginObject();
        fields.forEach(j::field);
        return j.endObject().toString();
    }
}
