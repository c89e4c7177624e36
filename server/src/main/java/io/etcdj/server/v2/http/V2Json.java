package io.etcdj.server.v2.http;

import io.etcdj.server.v2.store.NodeView;
import io.etcdj.server.v2.store.V2Error;
import io.etcdj.server.v2.store.V2Event;
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

    static void node(GoJson j, NodeView n) {
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
