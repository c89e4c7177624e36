package io.etcdj.server.v2.store;

/**
 * One change (or read) of the v2 key space. {@code etcdIndex} is the store index the event was
 * produced at (for reads: the current index). The event's own index is its node's modifiedIndex.
 * Refresh events are recorded in the history but never delivered to watchers.
 */
public record V2Event(String action, NodeView node, NodeView prevNode, long etcdIndex, boolean refresh) {
    public static final String GET = "get";
    public static final String CREATE = "create";
    public static final String SET = "set";
    public static final String UPDATE = "update";
    public static final String DELETE = "delete";
    public static final String COMPARE_AND_SWAP = "compareAndSwap";
    public static final String COMPARE_AND_DELETE = "compareAndDelete";
    public static final String EXPIRE = "expire";

    public long index() { return node.modifiedIndex(); }

    /** True when etcd answers this write with 201 Created. */
    public boolean isCreated() {
        return CREATE.equals(action) || (SET.equals(action) && prevNode == null);
    }

    public V2Event withEtcdIndex(long idx) { return new V2Event(action, node, prevNode, idx, refresh); }

    public V2Event stripPrefix(String prefix) {
        return new V2Event(action, node == null ? null : node.stripPrefix(prefix),
                prevNode == null ? null : prevNode.stripPrefix(prefix), etcdIndex, refresh);
    }
}
