package io.etcdj.server.v2.store;

import java.time.Instant;
import java.util.List;

/**
 * An immutable rendering of a node as the v2 API shows it ("NodeExtern"). Absent fields are
 * null/0/false and are left out of the JSON: {@code value} is null for directories and for the
 * node of delete events; {@code nodes} is null unless the directory was listed; {@code expiration}
 * is null and {@code ttl} 0 for permanent nodes.
 */
public record NodeView(String key, boolean dir, String value, List<NodeView> nodes,
                       Instant expiration, long ttl, long modifiedIndex, long createdIndex) {

    /** This view with every key (recursively) having {@code prefix} stripped. */
    public NodeView stripPrefix(String prefix) {
        String k = key;
        if (k != null && k.startsWith(prefix)) {
            k = k.substring(prefix.length());
        }
        List<NodeView> children = nodes == null ? null
                : nodes.stream().map(n -> n.stripPrefix(prefix)).toList();
        return new NodeView(k, dir, value, children, expiration, ttl, modifiedIndex, createdIndex);
    }
}
