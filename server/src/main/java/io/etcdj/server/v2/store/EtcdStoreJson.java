package io.etcdj.server.v2.store;

import io.etcdj.server.v2.http.MiniJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * etcd 3.4's v2 store as its raft snapshots hold it, JSON:
 * {@code {"Root": node, "WatcherHub": {...}, "CurrentIndex": n, ...}} with
 * {@code node = {"Path", "CreatedIndex", "ModifiedIndex", "ExpireTime" (RFC 3339; year 1 when the node has
 * no TTL), "Value", "Children": {name: node} (null for a key)}}, turned into our store's {@link #save()d}
 * form with the same tree, indices and expiry times. etcd's event history is not carried over: a v2 watch
 * from an index before the import answers as one from a cleared history.
 */
public final class EtcdStoreJson {
    private EtcdStoreJson() {}

    /** @throws IllegalArgumentException when {@code json} is not etcd's v2 store */
    public static byte[] toSnapshot(String json, List<String> namespaces) {
        Object doc;
        try {
            doc = new MiniJson(json).parseDocument();
        } catch (MiniJson.SyntaxError e) {
            throw new IllegalArgumentException("etcd's v2 store is not JSON: " + e.getMessage(), e);
        }
        if (!(doc instanceof Map<?, ?> store) || !(store.get("Root") instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("etcd's v2 store has no Root");
        }
        StoreNode tree = node(root, null);
        if (!tree.isDir()) {
            throw new IllegalArgumentException("etcd's v2 store Root is no directory");
        }
        return StoreSnapshotCodec.encode(namespaces, number(store.get("CurrentIndex")), tree, List.of());
    }

    private static StoreNode node(Map<?, ?> json, StoreNode parent) {
        Object children = json.get("Children");
        StoreNode n = StoreNode.restored(String.valueOf(json.get("Path")), number(json.get("CreatedIndex")),
                number(json.get("ModifiedIndex")), json.get("Value") instanceof String v ? v : "",
                children instanceof Map<?, ?>, parent, expireNanos(json.get("ExpireTime")));
        if (children instanceof Map<?, ?> map) {
            for (Object child : map.values()) {
                if (!(child instanceof Map<?, ?> c)) {
                    throw new IllegalArgumentException("etcd's v2 store has a child of " + n.path + " that is no node");
                }
                StoreNode built = node(c, n);
                n.children.put(built.name(), built);
            }
        }
        return n;
    }

    private static long expireNanos(Object time) {
        if (!(time instanceof String s)) {
            return StoreNode.PERMANENT;
        }
        try {
            Instant at = Instant.parse(s);
            if (at.getEpochSecond() < 0) {
                return StoreNode.PERMANENT; // Go's zero time, 0001-01-01T00:00:00Z
            }
            return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000_000L), at.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("etcd's v2 store has an ExpireTime that is no time: " + s, e);
        }
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }
}
