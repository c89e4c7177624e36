package io.etcdj.server.bootstrap;

import java.util.Comparator;
import java.util.Map;

/**
 * One member's entry in a discovery directory: the v2 node {@code <discovery>/<memberIdHex>}
 * whose value is that member's initial-cluster text ({@code name=peerURL[,name=peerURL...]}).
 *
 * @param key          the node's full v2 key ("/discovery/<token>/e6ce497792d1871c")
 * @param value        the registered initial-cluster text
 * @param createdIndex the v2 index that created it; registrations are ranked by it, the first
 *                     {@code size} of them form the cluster
 * @param modifiedIndex the v2 index of its last change (a watch resumes after it)
 */
public record DiscoveryRegistration(String key, String value, long createdIndex, long modifiedIndex) {
    /** Earliest registration first: the order that decides who is in the cluster. */
    public static final Comparator<DiscoveryRegistration> BY_CREATED_INDEX =
            Comparator.comparingLong(DiscoveryRegistration::createdIndex);

    /** The last path element of the key: the registering member's ID in hex (or "_config"). */
    public String name() {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    /** Whether this is the directory of the service's own settings rather than a member. */
    public boolean isConfig() {
        return name().equals("_config");
    }

    /** A v2 node object as decoded JSON ({"key":..,"value":..,"createdIndex":..}). */
    static DiscoveryRegistration fromNode(Map<?, ?> node) {
        Object key = node.get("key");
        Object value = node.get("value");
        return new DiscoveryRegistration(key instanceof String k ? k : "", value instanceof String v ? v : "",
                index(node.get("createdIndex")), index(node.get("modifiedIndex")));
    }

    private static long index(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
