package io.etcdj.etcdutl;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.api.mvccpb.KeyValue;
import io.etcdj.mvcc.Revision;
import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.BackendBatch;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.server.pb.InternalRaftRequest;
import io.etcdj.server.storage.MvccServerBackend;
import io.etcdj.server.v2.replicated.V2Requests;
import io.etcdj.server.v2.store.NodeView;
import io.etcdj.server.v2.store.V2Error;
import io.etcdj.server.v2.store.V2RequestApplier;
import io.etcdj.server.v2.store.V2Store;
import io.etcdj.wal.SnapshotMarker;
import io.etcdj.wal.SnapshotStore;
import io.etcdj.wal.Wal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * etcdctl 3.4's {@code migrate} on a stopped member's data dir: the keys of the v2 store become
 * mvcc keys. A v2 key {@code /a/b} becomes the v3 key {@code "/a/b"} with the same value, create
 * revision = its createdIndex, mod revision = its modifiedIndex, version 1 and no lease, stored at
 * revision (modifiedIndex, 0), where it replaces whatever that revision held (as etcd's does).
 * Directories and hidden keys ("_name") are not migrated; keys with a TTL are, without it, unless
 * {@code --no-ttl} leaves them out.
 *
 * <p>The v2 store is the member's as it would serve it after a restart: etcd rebuilds it from the
 * snapshot file and the WAL; we keep it in the backend at its consistent index, and replay onto it
 * the v2 requests of the WAL entries after that index. The backend's consistent index is left where
 * it is, so those entries (and every other one after it) are still applied when the member starts.
 */
public final class V2KeysMigration {
    /** Where the v2 store keeps the keys its API shows (etcd's "/1"; "/0" holds the membership). */
    private static final String KEYS_PREFIX = "/1";

    /** What the member's data dir holds: its newest usable snapshot (or none) and the WAL entries after it. */
    public record RaftHistory(Optional<Snapshot> snapshot, List<Entry> entries) {}

    private V2KeysMigration() {
    }

    /**
     * Reads {@code <dataDir>/member/snap} and the WAL ({@code walDir}, or {@code <dataDir>/member/wal}).
     *
     * @throws IOException with etcd's text for a missing directory ("open member/snap: no such file or directory")
     */
    public static RaftHistory readHistory(Path dataDir, Path walDir) throws IOException {
        Path snapDir = dataDir.resolve("member").resolve("snap");
        Path wal = walDir != null ? walDir : dataDir.resolve("member").resolve("wal");
        if (!Files.isDirectory(snapDir)) {
            throw new IOException("open " + snapDir + ": no such file or directory");
        }
        if (!Files.isDirectory(wal)) {
            throw new IOException("open " + wal + ": no such file or directory");
        }
        if (!Wal.exists(wal)) {
            throw new IOException("wal: file not found");
        }
        Optional<Snapshot> snapshot = new SnapshotStore(snapDir, 0).loadNewestAvailable(Wal.validSnapshotMarkers(wal));
        SnapshotMarker from = snapshot.map(s -> new SnapshotMarker(s.getMetadata().getIndex(), s.getMetadata().getTerm()))
                .orElse(SnapshotMarker.ZERO);
        return new RaftHistory(snapshot, Wal.read(wal, from).entries());
    }

    /**
     * Opens the backend of {@code dataDir}, creating it if missing as etcd's does; while a running
     * member holds it, says so once on {@code waiting} (after {@code patience}, etcd's words) and
     * keeps trying until it is released.
     */
    public static MvccServerBackend openBackend(Path dataDir, Duration patience, PrintStream waiting)
            throws InterruptedException {
        Path db = OfflineDefrag.backendPath(dataDir);
        long tellAt = System.nanoTime() + patience.toNanos();
        boolean told = false;
        while (true) {
            try {
                return MvccServerBackend.open(db);
            } catch (RuntimeException e) {
                if (!OfflineDefrag.heldByAnotherProcess(e)) {
                    throw e;
                }
                if (!told && System.nanoTime() - tellAt > 0) {
                    waiting.printf("waiting for etcd to close and release its lock on \"%s\"%n", db);
                    waiting.flush();
                    told = true;
                }
                Thread.sleep(100); // polling another process's file lock: there is nothing to wait on
            }
        }
    }

    /**
     * The v2 keys in the order etcd's migrate hands them to the transformer: depth first, names
     * sorted, the "/1" directory itself first as "/"; each with its namespace stripped and without
     * children. Empty when etcd's migrate finds no "/1": it rebuilds the store from the WAL alone
     * when there is no snapshot, and there "/1" appears with the first v2 write under it (taking
     * that write's index, which we take to be the oldest key's created index); a store restored
     * from a snapshot always has it.
     *
     * @param nowNanos Unix time in nanoseconds, for the TTLs left
     */
    public static Optional<List<NodeView>> v2Nodes(MvccServerBackend backend, RaftHistory history, long nowNanos) {
        V2Store store = backend.loadV2Store().map(V2Store::fromSnapshot).orElseGet(() -> new V2Store("/0", "/1"));
        long applied = backend.consistentIndex();
        boolean written = false;
        for (Entry e : history.entries()) {
            if (e.getType() == EntryType.EntryNormal && !e.getData().isEmpty()) {
                written |= replay(store, e, e.getIndex() > applied);
            }
        }
        NodeView keys;
        try {
            keys = store.get(KEYS_PREFIX, true, true, nowNanos).node();
        } catch (V2Error notFound) {
            return Optional.empty();
        }
        List<NodeView> out = new ArrayList<>();
        flatten(keys, out);
        if (history.snapshot().isEmpty()) {
            if (!written && out.size() == 1) {
                return Optional.empty();
            }
            long first = out.stream().skip(1).mapToLong(NodeView::createdIndex).min().orElse(0);
            out.set(0, new NodeView("/", true, null, null, null, 0, first, first));
        }
        return Optional.of(out);
    }

    /** Applies {@code e}'s v2 request to {@code store} if {@code apply}; tells whether it writes under "/1". */
    private static boolean replay(V2Store store, Entry e, boolean apply) {
        InternalRaftRequest r;
        try {
            r = InternalRaftRequest.parseFrom(e.getData());
        } catch (InvalidProtocolBufferException notARequest) {
            return false; // the member skips it too
        }
        if (r.getRequestCase() != InternalRaftRequest.RequestCase.V2) {
            return false;
        }
        if (apply) {
            try {
                V2RequestApplier.apply(store, V2Requests.fromProto(r.getV2()));
            } catch (V2Error refused) {
                // refused when the member applied it too (a failed compare, a missing key)
            }
        }
        String method = r.getV2().getMethod();
        return (method.equals("PUT") || method.equals("POST")) && r.getV2().getPath().startsWith(KEYS_PREFIX + "/");
    }

    private static void flatten(NodeView n, List<NodeView> out) {
        String key = n.key().substring(KEYS_PREFIX.length());
        out.add(new NodeView(key.isEmpty() ? "/" : key, n.dir(), n.value(), null, n.expiration(), n.ttl(),
                n.modifiedIndex(), n.createdIndex()));
        if (n.nodes() != null) {
            for (NodeView c : n.nodes()) {
                flatten(c, out);
            }
        }
    }

    /** etcd's default transformer: a file becomes a key (version 1, no lease), a directory nothing. */
    public static Optional<KeyValue> transform(NodeView n) {
        if (n.dir()) {
            return Optional.empty();
        }
        return Optional.of(KeyValue.newBuilder()
                .setKey(ByteString.copyFromUtf8(n.key()))
                .setValue(ByteString.copyFromUtf8(n.value() == null ? "" : n.value()))
                .setCreateRevision(n.createdIndex())
                .setModRevision(n.modifiedIndex())
                .setVersion(1)
                .build());
    }

    /**
     * Stores each key at revision (mod revision, 0) of the key bucket, in one commit that leaves the
     * consistent index as it was; the member rebuilds its index from the bucket when it starts.
     */
    public static void write(MvccServerBackend backend, List<KeyValue> kvs) {
        Backend b = backend.kvStore().backend();
        try (BackendBatch batch = b.newBatch()) {
            for (KeyValue kv : kvs) {
                batch.put(Bucket.KEY, Revision.of(kv.getModRevision()).toBytes(), kv.toByteArray());
            }
            b.commitWithoutConsistentIndex(batch);
        }
        backend.sync();
    }
}
