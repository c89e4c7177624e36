package io.etcdj.etcdctl.v2;

import io.etcdj.etcdctl.print.GoJson;
import java.util.Map;

/** A successful /v2/keys reply; {@code index} is the X-Etcd-Index header (not part of the JSON). */
record KeysResponse(String action, KeyNode node, KeyNode prevNode, long index) {
    static KeysResponse from(String body, long index) {
        Map<?, ?> m = (Map<?, ?>) Json.parse(body);
        return new KeysResponse(m.get("action") instanceof String s ? s : "", KeyNode.from(m.get("node")),
                KeyNode.from(m.get("prevNode")), index);
    }

    /** Go's encoding/json of client.Response. */
    String toJson() {
        StringBuilder b = new StringBuilder("{\"action\":").append(GoJson.string(action)).append(",\"node\":");
        if (node == null) {
            b.append("null");
        } else {
            node.writeJson(b);
        }
        b.append(",\"prevNode\":");
        if (prevNode == null) {
            b.append("null");
        } else {
            prevNode.writeJson(b);
        }
        return b.append('}').toString();
    }
}
