package io.etcdj.server;

import com.google.protobuf.ByteString;
import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmResponse;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.DefragmentResponse;
import io.etcdj.api.etcdserverpb.DowngradeRequest;
import io.etcdj.api.etcdserverpb.DowngradeResponse;
import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.HashResponse;
import io.etcdj.api.etcdserverpb.MoveLeaderRequest;
import io.etcdj.api.etcdserverpb.MoveLeaderResponse;
import io.etcdj.api.etcdserverpb.CompactionResponse;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseLeasesRequest;
import io.etcdj.api.etcdserverpb.LeaseLeasesResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeResponse;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.api.etcdserverpb.MemberAddRequest;
import io.etcdj.api.etcdserverpb.MemberAddResponse;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.MemberPromoteRequest;
import io.etcdj.api.etcdserverpb.MemberPromoteResponse;
import io.etcdj.api.etcdserverpb.MemberRemoveRequest;
import io.etcdj.api.etcdserverpb.MemberRemoveResponse;
import io.etcdj.api.etcdserverpb.MemberUpdateRequest;
import io.etcdj.api.etcdserverpb.MemberUpdateResponse;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.mvcc.watch.WatchStream;
import io.etcdj.server.auth.Caller;
import io.etcdj.server.snapshot.PackedSnapshot;
import java.util.concurrent.CompletableFuture;

/**
 * What the v3 gRPC services (and any embedder) may ask of one etcd member. The services only
 * validate a request and call this; everything behind it (raft, apply, reads) is the server's.
 *
 * <p>Contract for every method:
 * <ul>
 *   <li>it never blocks: it returns a future, completed on a server thread;</li>
 *   <li>a future fails only with {@link EtcdException} (etcd's text and gRPC code), e.g.
 *       {@link EtcdError#TIMEOUT}, {@link EtcdError#NO_LEADER}, {@link EtcdError#STOPPED};</li>
 *   <li>every response carries a complete header: cluster_id, member_id, revision (the store's
 *       revision as of the operation) and raft_term;</li>
 *   <li>a write's future completes only after the write is committed by a quorum (fsynced) and
 *       applied to this member's store.</li>
 * </ul>
 * Request validation that etcd does in its gRPC layer (empty key, txn op count, request size)
 * is the caller's job; the server checks the encoded proposal size again.
 *
 * <p>Methods without a {@link Caller} act for a trusted caller (the member itself, an embedder)
 * and are never refused by auth; the v3 services always pass the caller of the request's token.
 */
public interface EtcdServer {

    /** The cluster's ID (fixed once bootstrapped). */
    long clusterId();

    /** This member's ID. */
    long memberId();

    /** A header with cluster_id, member_id, raft_term and the current store revision. */
    ResponseHeader header();

    /** {@link #header()} with {@code revision} instead of the current one (a watch response's). */
    ResponseHeader header(long revision);

    /** The raft figures of this member right now. */
    RaftStatus raftStatus();

    /** Linearizable unless {@code request.getSerializable()}; then served from the local store. */
    default CompletableFuture<RangeResponse> range(RangeRequest request) {
        return range(request, Caller.TRUSTED);
    }

    /** As {@link #range(RangeRequest)}, refused unless the caller may read the keys (auth enabled). */
    CompletableFuture<RangeResponse> range(RangeRequest request, Caller caller);

    default CompletableFuture<PutResponse> put(PutRequest request) {
        return put(request, Caller.TRUSTED);
    }

    /**
     * Proposed with the caller: the applier checks its permission (and that the auth store has
     * not changed since the caller was resolved), as etcd's auth applier does.
     */
    CompletableFuture<PutResponse> put(PutRequest request, Caller caller);

    default CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request) {
        return deleteRange(request, Caller.TRUSTED);
    }

    CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request, Caller caller);

    /** Always goes through raft (also a read-only txn), so it is linearizable. */
    default CompletableFuture<TxnResponse> txn(TxnRequest request) {
        return txn(request, Caller.TRUSTED);
    }

    /** Every compare and op (both branches, nested txns too) is checked against the caller's permissions. */
    CompletableFuture<TxnResponse> txn(TxnRequest request, Caller caller);

    default CompletableFuture<CompactionResponse> compact(CompactionRequest request) {
        return compact(request, Caller.TRUSTED);
    }

    /** Not checked by auth: etcd 3.4.23 compacts for any client, also while auth is enabled. */
    CompletableFuture<CompactionResponse> compact(CompactionRequest request, Caller caller);

    // ------------------------------------------------------------------ auth

    /**
     * The caller a client's token names ({@link Caller#ANONYMOUS} without a token); fails with
     * "etcdserver: invalid auth token" for an unknown or expired one. Renews the token. A simple
     * token names the raft index of its Authenticate: as etcd, this waits (up to the request
     * timeout) until this member has applied that index, so a token got from one member works at
     * once on every other.
     */
    CompletableFuture<Caller> caller(String token);

    /**
     * The same for a call that may have come with a verified client certificate whose CN is
     * {@code certificateCommonName} (null: none): without a token, a member started with
     * --client-cert-auth takes that CN as the user while auth is enabled, as etcd does.
     */
    default CompletableFuture<Caller> caller(String token, String certificateCommonName) {
        return caller(token);
    }

    /** Fails (etcd's auth errors) unless auth is disabled or the caller holds the root role. */
    void authorizeAdmin(Caller caller);

    /** Fails unless auth is disabled or the caller may read the key or range (a watch's). */
    void authorizeRead(Caller caller, ByteString key, ByteString rangeEnd);

    /** The etcdserverpb.Auth operations. */
    AuthServer auth();

    /** Linearizable if {@code request.getLinearizable()}. */
    CompletableFuture<MemberListResponse> memberList(MemberListRequest request);

    /**
     * Adds a member (or learner) through a raft conf change; completes once applied locally. The
     * new member's ID is derived from its peer URLs and the current time, as etcd's.
     */
    CompletableFuture<MemberAddResponse> memberAdd(MemberAddRequest request);

    CompletableFuture<MemberRemoveResponse> memberRemove(MemberRemoveRequest request);

    /** Changes a member's peer URLs. */
    CompletableFuture<MemberUpdateResponse> memberUpdate(MemberUpdateRequest request);

    /** Makes a learner a voting member. */
    CompletableFuture<MemberPromoteResponse> memberPromote(MemberPromoteRequest request);

    CompletableFuture<StatusResponse> status(StatusRequest request);

    /**
     * Completes once everything committed before the call is applied locally (a ReadIndex round):
     * the building block for any other linearizable read (lease, auth, ...).
     */
    CompletableFuture<Void> linearizableBarrier();

    /**
     * Grants a lease through raft. When {@code request.getID()} is 0 the server picks a positive
     * ID (its request-ID generator masked to 63 bits, as etcd).
     */
    CompletableFuture<LeaseGrantResponse> leaseGrant(LeaseGrantRequest request);

    /** Revokes a lease through raft; its keys are deleted in one revision. */
    default CompletableFuture<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest request) {
        return leaseRevoke(request, Caller.TRUSTED);
    }

    /** Refused at apply time unless the caller may write every key attached to the lease (auth enabled). */
    CompletableFuture<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest request, Caller caller);

    /**
     * Keepalive: restarts the lease's countdown on the leader and completes with its TTL in
     * seconds. On a follower the renewal is forwarded to the leader (unless {@code mayForward} is
     * false: then it fails with "not leader"). Fails with "requested lease not found" for an
     * unknown (or already expired) lease, "request timed out" when no leader answers in time.
     */
    CompletableFuture<Long> leaseRenew(long id, boolean mayForward);

    /**
     * The lease's granted and remaining TTL (and keys if asked), as the leader counts it: answered
     * by the leader (forwarded there unless {@code mayForward} is false) after a linearizable
     * barrier. An unknown lease is answered with TTL -1, not an error.
     */
    CompletableFuture<LeaseTimeToLiveResponse> leaseTimeToLive(LeaseTimeToLiveRequest request, boolean mayForward);

    /** Every lease, linearizably. */
    CompletableFuture<LeaseLeasesResponse> leaseLeases(LeaseLeasesRequest request);

    /**
     * A new watch stream on this member's store (one per gRPC Watch call); the caller fills the
     * headers' cluster_id, member_id and raft_term of what it polls, and closes it.
     */
    WatchStream openWatchStream();

    // ------------------------------------------------------------------ maintenance

    /**
     * Lists, raises or clears an alarm through raft (etcd's Alarm RPC). A put, txn or lease grant
     * that would take the backend over --quota-backend-bytes fails with "database space exceeded"
     * after this member raised NOSPACE; while NOSPACE is raised such requests fail at apply.
     */
    CompletableFuture<AlarmResponse> alarm(AlarmRequest request);

    /** Compacts this member's backend in place; completes when done (may take long). */
    CompletableFuture<DefragmentResponse> defragment();

    /** A hash of this member's whole backend but its raft position. */
    CompletableFuture<HashResponse> hash();

    /** etcd's HashKV of the key space up to a revision (0: current); compacted/future revisions fail. */
    CompletableFuture<HashKVResponse> hashKv(HashKVRequest request);

    /**
     * Hands leadership to {@code target_id}. Fails with "not leader" unless this member leads, "bad
     * leader transferee" for an unknown member or a learner; completes once the target leads.
     */
    CompletableFuture<MoveLeaderResponse> moveLeader(MoveLeaderRequest request);

    /** A consistent snapshot of this member's backend; the caller must close it once sent. */
    CompletableFuture<PackedSnapshot> snapshot();

    /** etcd 3.5's Downgrade; this cluster cannot downgrade, so it fails with etcd's text for why. */
    CompletableFuture<DowngradeResponse> downgrade(DowngradeRequest request);

    /** Raft figures of one member. {@code leader} is 0 when no leader is known. */
    record RaftStatus(long leader, long term, long committedIndex, long appliedIndex, boolean learner) {}
}
