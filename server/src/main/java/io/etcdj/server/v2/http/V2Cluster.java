package io.etcdj.server.v2.http;

import io.etcdj.server.v2.store.V2Event;
import io.etcdj.server.v2.store.V2Request;
import io.etcdj.server.v2.store.V2Watcher;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the v2 HTTP handlers need from the member. The server implements it over raft; the
 * handlers never touch the store or raft directly.
 *
 * <p>Errors: methods throw {@link io.etcdj.server.v2.store.V2Error} for answers etcd gives as v2
 * errors. A failure that is not a store error (timeout, stopped server, lost leader) must be
 * thrown as {@code new V2Error(V2Error.RAFT_INTERNAL, "<etcd's error text>", 0)}, e.g.
 * "etcdserver: request timed out", which is what etcd answers (HTTP 500).
 */
public interface V2Cluster {

    /** The result of a request: the event and the raft position after it was applied. */
    record Result(V2Event event, long raftIndex, long raftTerm) {
    }

    /**
     * Proposes a write (PUT/POST/DELETE) or a quorum read (QGET), waits until it is committed and
     * applied on this member with {@link io.etcdj.server.v2.store.V2RequestApplier}, and returns the
     * event (or throws the store's error). Every request takes a raft entry, failed ones too.
     */
    Result propose(V2Request request);

    /** A local (serializable) read of the applied store. */
    Result get(String storePath, boolean recursive, boolean sorted);

    /** Registers a watcher on the applied store; see {@link io.etcdj.server.v2.store.V2Store#watch}. */
    V2Watcher watch(String storePath, boolean recursive, boolean stream, long sinceIndex);

    /** Applied raft index and current term (X-Raft-Index, X-Raft-Term). */
    long raftIndex();

    long raftTerm();

    long clusterId();

    long memberId();

    /** Members ordered as etcd lists them (by ID). */
    List<V2Member> members();

    Optional<V2Member> leader();

    V2Member addMember(List<String> peerUrls) throws V2MemberException;

    void removeMember(long id) throws V2MemberException;

    void updateMember(long id, List<String> peerUrls) throws V2MemberException;

    /** The client URLs of all members, as /v2/machines joins them. */
    List<String> clientUrls();

    /** /v2/stats/self body, already JSON (etcd's ServerStats). */
    String selfStatsJson();

    /** /v2/stats/leader body, or empty when this member is not the leader (403 "not current leader"). */
    Optional<String> leaderStatsJson();

    /** The store's counters in etcd's order, plus "watchers". */
    Map<String, Long> storeStats();

    /** "3.4.23" */
    String serverVersion();

    /** "3.4.0", or "not_decided" before the cluster version is set. */
    String clusterVersion();

    /** Whether /health reports {"health":"true"}; etcd 3.4 decides by a QGET through raft (one entry). */
    boolean healthy();
}
