package io.etcdj.server.v2.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mutable node of the v2 tree: a directory (children != null) or a key with a value.
 * Invariants: {@code path} is clean and absolute; a child's path is its parent's path joined with
 * the child's name; {@code expireNanos == PERMANENT} for nodes without a TTL.
 */
final class StoreNode {
    static final long PERMANENT = 0L;

    final String path;
    final long createdIndex;
    long modifiedIndex;
    String value;                          // "" for directories
    final TreeMap<String, StoreNode> children; // null for keys
    StoreNode parent;
    long expireNanos;

    private StoreNode(String path, long createdIndex, long modifiedIndex, String value,
                      boolean dir, StoreNode parent, long expireNanos) {
        this.path = path;
        this.createdIndex = createdIndex;
        this.modifiedIndex = modifiedIndex;
        this.value = value;
        this.children = dir ? new TreeMap<>() : null;
        this.parent = parent;
        this.expireNanos = expireNanos;
    }

    static StoreNode newKey(String path, String value, long index, StoreNode parent, long expireNanos) {
        return new StoreNode(path, index, index, value, false, parent, expireNanos);
    }

    static StoreNode newDir(String path, long index, StoreNode parent, long expireNanos) {
        return new StoreNode(path, index, index, "", true, parent, expireNanos);
    }

    /** Restores a node with explicit indices (snapshot restore). */
    static StoreNode restored(String path, long created, long modified, String value, boolean dir,
                              StoreNode parent, long expireNanos) {
        return new StoreNode(path, created, modified, value, dir, parent, expireNanos);
    }

    boolean isDir() { return children != null; }
    boolean isPermanent() { return expireNanos == PERMANENT; }
    String name() { return path.substring(path.lastIndexOf('/') + 1); }
    boolean isHidden() { String n = name(); return !n.isEmpty() && n.charAt(0) == '_'; }

    Instant expiration() { return isPermanent() ? null : Instant.ofEpochSecond(0, expireNanos); }

    /** Whole seconds left at {@code nowNanos}, rounded up, as etcd shows "ttl". */
    long ttl(long nowNanos) {
        if (isPermanent()) {
            return 0;
        }
        long left = expireNanos - nowNanos;
        long secs = left / 1_000_000_000L;
        if (left % 1_000_000_000L > 0) {
            secs++;
        }
        return secs;
    }

    /** The node as shown in an event or a listing; children only when {@code recursive}. */
    NodeView view(boolean recursive, boolean sorted, long nowNanos) {
        if (!isDir()) {
            return new NodeView(path, false, value, null, expiration(), ttl(nowNanos), modifiedIndex, createdIndex);
        }
        List<NodeView> nodes = null;
        if (recursive) {
            nodes = listChildren(true, sorted, nowNanos);
        }
        return new NodeView(path, true, null, nodes, expiration(), ttl(nowNanos), modifiedIndex, createdIndex);
    }

    /** The visible (not hidden) children, each rendered with {@code childrenRecursive}. */
    List<NodeView> listChildren(boolean childrenRecursive, boolean sorted, long nowNanos) {
        List<NodeView> out = new ArrayList<>();
        for (Map.Entry<String, StoreNode> e : children.entrySet()) {
            if (!e.getValue().isHidden()) {
                out.add(e.getValue().view(childrenRecursive, sorted, nowNanos));
            }
        }
        if (sorted) {
            out.sort((x, y) -> GoStrings.compare(x.key(), y.key())); // Go's order: by the keys' bytes
        }
        return out;
    }
}
