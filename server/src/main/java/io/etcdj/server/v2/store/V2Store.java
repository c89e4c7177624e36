package io.etcdj.server.v2.store;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The v2 key space as a deterministic state machine: the same sequence of calls with the same
 * arguments produces the same tree, index, history and results on every member.
 *
 * <p>Time never comes from a clock here. Writes carry the absolute expiration of the node
 * ({@code expireNanos}, unix nanoseconds, {@link #PERMANENT} for none) and the proposer's
 * {@code nowNanos}, which is used only to show "ttl" in the returned event; expiry happens only
 * through {@link #deleteExpiredKeys(long)} with a replicated cut-off time.
 *
 * <p>Invariants: {@code index} grows by exactly one per successful write and per expired node,
 * failed operations change nothing; the namespace directories given at construction (and "/")
 * always exist and are read-only; every non-permanent node is in the TTL queue.
 *
 * <p>All methods are synchronized; watchers are notified under the lock.
 */
public final class V2Store {
    /** Expire time of a node without TTL. */
    public static final long PERMANENT = StoreNode.PERMANENT;
    /** Expirations before 2000-01-01 are treated as permanent (as etcd does). */
    private static final long MIN_EXPIRE_NANOS = 946_684_800L * 1_000_000_000L;

    private StoreNode root;
    private long index;
    private final Set<String> readOnly;
    private List<String> namespaces;
    private final EventHistory history = new EventHistory();
    private final WatcherRegistry watchers = new WatcherRegistry();
    private TreeSet<StoreNode> ttlQueue = newTtlQueue();
    private final StoreStats stats = new StoreStats();

    /** A store whose root holds the given permanent namespace directories (etcd: "/0", "/1"). */
    public V2Store(String... namespaces) {
        this.namespaces = Arrays.stream(namespaces).map(V2StorePaths::clean).toList();
        this.readOnly = new HashSet<>();
        readOnly.add("/");
        root = StoreNode.newDir("/", 0, null, PERMANENT);
        for (String ns : namespaces) {
            String p = V2StorePaths.clean(ns);
            readOnly.add(p);
            root.children.put(p.substring(1), StoreNode.newDir(p, 0, root, PERMANENT));
        }
    }

    private static TreeSet<StoreNode> newTtlQueue() {
        return new TreeSet<>(Comparator.<StoreNode>comparingLong(n -> n.expireNanos).thenComparing(n -> n.path));
    }

    public synchronized long index() { return index; }

    public StoreStats stats() { return stats; }

    public int watcherCount() { return watchers.count(); }

    public synchronized boolean hasTtlKeys() { return !ttlQueue.isEmpty(); }

    List<String> namespaces() { return namespaces; }

    // ---------------------------------------------------------------- reads

    /** The value of the file at {@code path}, or null; an internal read, not counted in the stats. */
    public synchronized String peekValue(String path) {
        try {
            StoreNode n = lookup(V2StorePaths.clean(path));
            return n.isDir() ? null : n.value;
        } catch (V2Error e) {
            return null;
        }
    }

    /** The node at {@code path}; for a directory its visible children (all levels when recursive). */
    public synchronized V2Event get(String path, boolean recursive, boolean sorted, long nowNanos) {
        String p = V2StorePaths.clean(path);
        StoreNode n;
        try {
            n = lookup(p);
        } catch (V2Error e) {
            synchronized (stats) { stats.getsFail++; }
            throw e;
        }
        synchronized (stats) { stats.getsSuccess++; }
        NodeView view;
        if (n.isDir()) {
            view = new NodeView(n.path, true, null, n.listChildren(recursive, sorted, nowNanos),
                    n.expiration(), n.ttl(nowNanos), n.modifiedIndex, n.createdIndex);
        } else {
            view = n.view(false, false, nowNanos);
        }
        return new V2Event(V2Event.GET, view, null, index, false);
    }

    /**
     * Registers a watcher of {@code key} for events with index >= {@code sinceIndex} (0: from the
     * next write). When the history already holds a matching event the watcher is returned with
     * that event buffered and is not registered (even for a stream, as etcd).
     */
    public synchronized V2Watcher watch(String key, boolean recursive, boolean stream, long sinceIndex) {
        String k = V2StorePaths.clean(key);
        long since = sinceIndex == 0 ? index + 1 : sinceIndex;
        V2Event found = history.scan(k, recursive, since, index);
        V2Watcher w = new V2Watcher(k, recursive, stream, since, index, watchers);
        if (found != null) {
            w.preload(found.withEtcdIndex(index));
            return w; // satisfied from history: never registered (a stream gets nothing more, as etcd)
        }
        watchers.add(w);
        return w;
    }

    // ---------------------------------------------------------------- writes

    /** Creates or replaces a key (or creates a directory); refresh keeps the value and only resets the TTL. */
    public synchronized V2Event set(String path, boolean dir, String value, long expireNanos, boolean refresh,
                                    long nowNanos) {
        String p = V2StorePaths.clean(path);
        try {
            StoreNode prev = null;
            V2Error getErr = null;
            try {
                prev = lookup(p);
            } catch (V2Error e) {
                if (e.code() != V2Error.KEY_NOT_FOUND) {
                    throw e;
                }
                getErr = e;
            }
            if (refresh) {
                if (getErr != null) {
                    throw getErr;
                }
                value = prev.value;
            }
            V2Event e = internalCreate(p, dir, value, false, true, expireNanos, V2Event.SET, nowNanos);
            e = new V2Event(e.action(), e.node(), e.prevNode(), index, refresh);
            synchronized (stats) { stats.setsSuccess++; }
            record(e);
            return e;
        } catch (V2Error err) {
            synchronized (stats) { stats.setsFail++; }
            throw err;
        }
    }

    /** Creates a key or directory that must not exist; {@code unique} appends a 20-digit in-order name. */
    public synchronized V2Event create(String path, boolean dir, String value, boolean unique, long expireNanos,
                                       long nowNanos) {
        try {
            V2Event e = internalCreate(V2StorePaths.clean(path), dir, value, unique, false, expireNanos,
                    V2Event.CREATE, nowNanos);
            synchronized (stats) { stats.createSuccess++; }
            record(e);
            return e;
        } catch (V2Error err) {
            synchronized (stats) { stats.createFail++; }
            throw err;
        }
    }

    /** Changes the value and TTL of an existing node (a directory only its TTL). */
    public synchronized V2Event update(String path, String value, long expireNanos, boolean refresh, long nowNanos) {
        String p = V2StorePaths.clean(path);
        try {
            if (readOnly.contains(p)) {
                throw new V2Error(V2Error.ROOT_READ_ONLY, "/", index);
            }
            StoreNode n = lookup(p);
            if (n.isDir() && !value.isEmpty()) {
                throw new V2Error(V2Error.NOT_FILE, p, index);
            }
            if (refresh) {
                value = n.value;
            }
            long next = index + 1;
            NodeView prev = n.view(false, false, nowNanos);
            if (!n.isDir()) {
                n.value = value;
                n.modifiedIndex = next;
            }
            updateTtl(n, normalize(expireNanos));
            NodeView node = new NodeView(p, n.isDir(), n.isDir() ? null : value, null, n.expiration(),
                    n.ttl(nowNanos), next, n.createdIndex);
            index = next;
            V2Event e = new V2Event(V2Event.UPDATE, node, prev, next, refresh);
            synchronized (stats) { stats.updateSuccess++; }
            record(e);
            return e;
        } catch (V2Error err) {
            synchronized (stats) { stats.updateFail++; }
            throw err;
        }
    }

    /** Replaces the value of a key when its value and/or modifiedIndex match (empty/0 means "any"). */
    public synchronized V2Event compareAndSwap(String path, String prevValue, long prevIndex, String value,
                                               long expireNanos, boolean refresh, long nowNanos) {
        String p = V2StorePaths.clean(path);
        try {
            if (readOnly.contains(p)) {
                throw new V2Error(V2Error.ROOT_READ_ONLY, "/", index);
            }
            StoreNode n = lookup(p);
            if (n.isDir()) {
                throw new V2Error(V2Error.NOT_FILE, p, index);
            }
            checkCompare(n, prevValue, prevIndex);
            if (refresh) {
                value = n.value;
            }
            index++;
            NodeView prev = n.view(false, false, nowNanos);
            n.value = value;
            n.modifiedIndex = index;
            updateTtl(n, normalize(expireNanos));
            NodeView node = new NodeView(p, false, value, null, n.expiration(), n.ttl(nowNanos), index,
                    n.createdIndex);
            V2Event e = new V2Event(V2Event.COMPARE_AND_SWAP, node, prev, index, refresh);
            synchronized (stats) { stats.compareAndSwapSuccess++; }
            record(e);
            return e;
        } catch (V2Error err) {
            synchronized (stats) { stats.compareAndSwapFail++; }
            throw err;
        }
    }

    /** Removes a key, or a directory when {@code dir} (empty) or {@code recursive} (with contents). */
    public synchronized V2Event delete(String path, boolean dir, boolean recursive, long nowNanos) {
        String p = V2StorePaths.clean(path);
        try {
            if (readOnly.contains(p)) {
                throw new V2Error(V2Error.ROOT_READ_ONLY, "/", index);
            }
            boolean asDir = dir || recursive;
            StoreNode n = lookup(p);
            long next = index + 1;
            NodeView node = new NodeView(p, n.isDir(), null, null, null, 0, next, n.createdIndex);
            V2Event e = new V2Event(V2Event.DELETE, node, n.view(false, false, nowNanos), next, false);
            removeNode(n, asDir, recursive, deleted -> watchers.notifyAt(e, deleted, true));
            index++;
            synchronized (stats) { stats.deleteSuccess++; }
            record(e);
            return e;
        } catch (V2Error err) {
            synchronized (stats) { stats.deleteFail++; }
            throw err;
        }
    }

    /**
     * Removes a key when its value and/or modifiedIndex match. Statistics as etcd 3.4 keeps them:
     * only a missing key counts as compareAndDeleteFail; a directory or a failed comparison is
     * refused but counted as compareAndDeleteSuccess (etcd's store loses those errors before
     * counting; /v2/stats/store shows it).
     */
    public synchronized V2Event compareAndDelete(String path, String prevValue, long prevIndex, long nowNanos) {
        String p = V2StorePaths.clean(path);
        StoreNode n;
        try {
            n = lookup(p);
        } catch (V2Error err) {
            synchronized (stats) { stats.compareAndDeleteFail++; }
            throw err;
        }
        try {
            if (n.isDir()) {
                throw new V2Error(V2Error.NOT_FILE, p, index);
            }
            checkCompare(n, prevValue, prevIndex);
            index++;
            NodeView node = new NodeView(p, false, null, null, null, 0, index, n.createdIndex);
            V2Event e = new V2Event(V2Event.COMPARE_AND_DELETE, node, n.view(false, false, nowNanos), index, false);
            removeNode(n, false, false, deleted -> watchers.notifyAt(e, deleted, true));
            record(e);
            return e;
        } finally {
            synchronized (stats) { stats.compareAndDeleteSuccess++; }
        }
    }

    /**
     * Expires, in expiration order, every node whose expiration is at or before {@code cutoffNanos};
     * each expired node takes one index and produces an "expire" event. This is the only way time
     * acts on the store, and it must be applied as a replicated operation.
     */
    public synchronized void deleteExpiredKeys(long cutoffNanos) {
        while (!ttlQueue.isEmpty()) {
            StoreNode n = ttlQueue.first();
            if (n.expireNanos > cutoffNanos) {
                break;
            }
            index++;
            NodeView node = new NodeView(n.path, n.isDir(), null, null, null, 0, index, n.createdIndex);
            V2Event e = new V2Event(V2Event.EXPIRE, node, n.view(false, false, cutoffNanos), index, false);
            ttlQueue.pollFirst();
            removeNode(n, true, true, deleted -> watchers.notifyAt(e, deleted, true));
            synchronized (stats) { stats.expireCount++; }
            record(e);
        }
    }

    // ---------------------------------------------------------------- snapshot

    /** The whole key space, index and event history as bytes (watchers and stats excluded). */
    public synchronized byte[] save() {
        return StoreSnapshotCodec.encode(namespaces, index, root, history.events());
    }

    /** Replaces the whole state by a {@link #save()}d one; every current watcher is dropped. */
    public synchronized void restore(byte[] snapshot) {
        StoreSnapshotCodec.Decoded d = StoreSnapshotCodec.decode(snapshot);
        root = d.root();
        index = d.index();
        history.restore(d.history());
        ttlQueue = newTtlQueue();
        collectTtl(root);
        readOnly.clear();
        readOnly.add("/");
        readOnly.addAll(d.namespaces());
        namespaces = List.copyOf(d.namespaces());
        watchers.clear();
    }

    /** A fresh store holding a {@link #save()}d state. */
    public static V2Store fromSnapshot(byte[] snapshot) {
        V2Store s = new V2Store();
        s.restore(snapshot);
        return s;
    }

    private void collectTtl(StoreNode n) {
        if (!n.isPermanent()) {
            ttlQueue.add(n);
        }
        if (n.isDir()) {
            n.children.values().forEach(this::collectTtl);
        }
    }

    // ---------------------------------------------------------------- internals

    private void record(V2Event e) {
        history.add(e);
        if (!e.refresh()) {
            watchers.notifyAlongPath(e);
        }
    }

    private static long normalize(long expireNanos) {
        return expireNanos < MIN_EXPIRE_NANOS ? PERMANENT : expireNanos;
    }

    private void checkCompare(StoreNode n, String prevValue, long prevIndex) {
        boolean indexMatch = prevIndex == 0 || n.modifiedIndex == prevIndex;
        boolean valueMatch = prevValue.isEmpty() || n.value.equals(prevValue);
        if (indexMatch && valueMatch) {
            return;
        }
        String cause;
        if (indexMatch) {
            cause = "[" + prevValue + " != " + n.value + "]";
        } else if (valueMatch) {
            cause = "[" + prevIndex + " != " + n.modifiedIndex + "]";
        } else {
            cause = "[" + prevValue + " != " + n.value + "] [" + prevIndex + " != " + n.modifiedIndex + "]";
        }
        throw new V2Error(V2Error.TEST_FAILED, cause, index);
    }

    /** Walks a clean path; 104 when a parent is a key, 100 naming the first missing node. */
    private StoreNode lookup(String p) {
        StoreNode cur = root;
        if (p.equals("/")) {
            return cur;
        }
        for (String seg : p.substring(1).split("/")) {
            if (!cur.isDir()) {
                throw new V2Error(V2Error.NOT_DIR, cur.path, index);
            }
            StoreNode child = cur.children.get(seg);
            if (child == null) {
                throw new V2Error(V2Error.KEY_NOT_FOUND, V2StorePaths.join(cur.path, seg), index);
            }
            cur = child;
        }
        return cur;
    }

    private V2Event internalCreate(String path, boolean dir, String value, boolean unique, boolean replace,
                                   long expireNanos, String action, long nowNanos) {
        long cur = index;
        long next = index + 1;
        String p = path;
        if (unique) {
            p = V2StorePaths.clean(p + "/" + String.format("%020d", next));
        }
        if (readOnly.contains(p)) {
            throw new V2Error(V2Error.ROOT_READ_ONLY, "/", cur);
        }
        long expire = normalize(expireNanos);
        int slash = p.lastIndexOf('/');
        String dirName = slash == 0 ? "/" : p.substring(0, slash);
        String nodeName = p.substring(slash + 1);
        StoreNode parent = walkCreatingDirs(dirName, next);
        NodeView prev = null;
        StoreNode existing = parent.children.get(nodeName);
        if (existing != null) {
            if (!replace) {
                throw new V2Error(V2Error.NODE_EXIST, p, cur);
            }
            if (existing.isDir()) {
                throw new V2Error(V2Error.NOT_FILE, p, cur);
            }
            prev = existing.view(false, false, nowNanos);
            removeNode(existing, false, false, null);
        }
        StoreNode n = dir ? StoreNode.newDir(p, next, parent, expire)
                : StoreNode.newKey(p, value, next, parent, expire);
        parent.children.put(nodeName, n);
        if (!n.isPermanent()) {
            ttlQueue.add(n);
        }
        index = next;
        NodeView view = new NodeView(p, dir, dir ? null : value, null, n.expiration(), n.ttl(nowNanos), next, next);
        return new V2Event(action, view, prev, next, false);
    }

    /** The directory at {@code dirPath}, creating missing directories with index {@code next}. */
    private StoreNode walkCreatingDirs(String dirPath, long next) {
        StoreNode cur = root;
        if (dirPath.equals("/")) {
            return cur;
        }
        for (String seg : dirPath.substring(1).split("/")) {
            StoreNode child = cur.children.get(seg);
            if (child == null) {
                child = StoreNode.newDir(V2StorePaths.join(cur.path, seg), next, cur, PERMANENT);
                cur.children.put(seg, child);
            } else if (!child.isDir()) {
                throw new V2Error(V2Error.NOT_DIR, child.path, index);
            }
            cur = child;
        }
        return cur;
    }

    private void removeNode(StoreNode n, boolean dir, boolean recursive, Consumer<String> onRemoved) {
        if (!n.isDir()) {
            detach(n, onRemoved);
            return;
        }
        if (!dir) {
            throw new V2Error(V2Error.NOT_FILE, n.path, index);
        }
        if (!n.children.isEmpty() && !recursive) {
            throw new V2Error(V2Error.DIR_NOT_EMPTY, n.path, index);
        }
        for (StoreNode child : List.copyOf(n.children.values())) {
            removeNode(child, true, true, onRemoved);
        }
        detach(n, onRemoved);
    }

    private void detach(StoreNode n, Consumer<String> onRemoved) {
        if (n.parent != null && n.parent.children.get(n.name()) == n) {
            n.parent.children.remove(n.name());
            if (onRemoved != null) {
                onRemoved.accept(n.path);
            }
            ttlQueue.remove(n);
        }
    }

    private void updateTtl(StoreNode n, long expire) {
        ttlQueue.remove(n);
        n.expireNanos = expire;
        if (!n.isPermanent()) {
            ttlQueue.add(n);
        }
    }
}
