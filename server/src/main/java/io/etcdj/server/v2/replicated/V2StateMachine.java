package io.etcdj.server.v2.replicated;

import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.server.membership.Member;
import io.etcdj.server.storage.ServerBackend;
import io.etcdj.server.v2.store.V2Error;
import io.etcdj.server.v2.store.V2Request;
import io.etcdj.server.v2.store.V2RequestApplier;
import io.etcdj.server.v2.store.V2Store;
import java.util.List;

/**
 * The v2 key space of one member, replicated through raft: the applier hands it every committed
 * v2 request in log order, and it keeps a {@link V2Store} that is identical on every member.
 *
 * <p>Durability: after every request that changes the store, the store's whole state is written
 * to the backend in the same batch as the entry's apply position, so the backend (and therefore
 * a restart, a snapshot sent to a follower, and a Maintenance snapshot) always holds the v2 store
 * exactly as of its consistent index. That costs one serialization of the store per v2 write,
 * which suits what the v2 API is used for today (discovery, small configuration trees).
 *
 * <p>Threads: {@link #apply} and {@link #reload} run on the applier thread only; reads and
 * watches go to {@link #store()}, which is thread-safe.
 */
public final class V2StateMachine {
    /** etcd's namespaces: "/0" holds cluster membership, "/1" the keys the API shows. */
    private static final String[] NAMESPACES = {"/0", "/1"};

    private final ServerBackend backend;
    private final V2Store store = new V2Store(NAMESPACES);

    public V2StateMachine(ServerBackend backend) {
        this.backend = backend;
        reload();
    }

    /** The store, for reads and watches. */
    public V2Store store() {
        return store;
    }

    /** Replaces the store by what the backend holds (at open, and after a snapshot restore). */
    public void reload() {
        store.restore(backend.loadV2Store().orElseGet(() -> new V2Store(NAMESPACES).save()));
    }

    /**
     * Records an applied conf change in the membership records ({@link V2MembershipRecords}); the
     * caller persists {@link #state()} with the membership, in one commit.
     */
    public void recordConfChange(ConfChangeType type, long id, Member before, Member after) {
        V2MembershipRecords.confChange(store, type, id, before, after);
    }

    /** Records a member's published attributes; the caller persists {@link #state()} with the membership. */
    public void recordAttributes(long id, String name, List<String> clientUrls) {
        V2MembershipRecords.attributes(store, id, name, clientUrls);
    }

    /** The decided cluster version, or null while none is. */
    public String clusterVersion() {
        return store.peekValue(V2MembershipRecords.VERSION_PATH);
    }

    /** Applies a decided cluster version (a no-op when it is the current one) and persists it. */
    public void applyClusterVersion(String version) {
        if (!version.equals(clusterVersion())) {
            V2MembershipRecords.clusterVersion(store, version);
            backend.saveV2Store(store.save());
        } else {
            backend.markApplied();
        }
    }

    /** The whole store as {@code V2Store.save()} gives it, for a commit together with other state. */
    public byte[] state() {
        return store.save();
    }

    /**
     * Applies one committed request and records it with the backend's apply position.
     *
     * @return the event (null for SYNC), or the {@link V2Error} the store refused it with
     */
    public Object apply(io.etcdj.server.pb.V2Request proto) {
        V2Request request = V2Requests.fromProto(proto);
        long before = store.index();
        Object outcome;
        try {
            outcome = V2RequestApplier.apply(store, request);
        } catch (V2Error e) {
            outcome = e;
        }
        if (store.index() != before) {
            backend.saveV2Store(store.save());
        } else {
            backend.markApplied();
        }
        return outcome;
    }
}
