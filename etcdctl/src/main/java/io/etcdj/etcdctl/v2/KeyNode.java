package io.etcdj.etcdctl.v2;

import io.etcdj.etcdctl.print.GoJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One node of the v2 key tree as the Go client decodes it. {@code nodes} is null when the reply
 * had none (Go prints null); {@code expiration} is the server's RFC 3339 text, kept verbatim
 * because Go re-encodes the parsed time to the same text.
 */
record KeyNode(String key, boolean dir, String value, List<KeyNode> nodes, long createdIndex,
               long modifiedIndex, String expiration, long ttl) {

    @SuppressWarnings("unchecked")
    static KeyNode from(Object json) {
        if (!(json instanceof Map<?, ?> m)) {
            return null;
        }
        List<KeyNode> children = null;
        if (m.get("nodes") instanceof List<?> l) {
            children = new ArrayList<>();
            for (Object o : l) {
                children.add(from(o));
            }
        }
        return new KeyNode(str(m.get("key")), Boolean.TRUE.equals(m.get("dir")), str(m.get("value")), children,
                num(m.get("createdIndex")), num(m.get("modifiedIndex")),
                m.get("expiration") instanceof String s ? s : null, num(m.get("ttl")));
    }

    private static String str(Object o) {
        return o instanceof String s ? s : "";
    }

    static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    /** Go's encoding/json of client.Node (field order and omitempty as its struct tags say). */
    void writeJson(StringBuilder b) {
        b.append("{\"key\":").append(GoJson.string(key));
        if (dir) {
            b.append(",\"dir\":true");
        }
        b.append(",\"value\":").append(GoJson.string(value)).append(",\"nodes\":");
        if (nodes == null) {
            b.append("null");
        } else {
            b.append('[');
            for (int i = 0; i < nodes.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                nodes.get(i).writeJson(b);
            }
            b.append(']');
        }
        b.append(",\"createdIndex\":").append(createdIndex).append(",\"modifiedIndex\":").append(modifiedIndex);
        if (expiration != null) {
            b.append(",\"expiration\":").append(GoJson.string(expiration));
        }
        if (ttl != 0) {
            b.append(",\"ttl\":").append(ttl);
        }
        b.append('}');
    }
}
