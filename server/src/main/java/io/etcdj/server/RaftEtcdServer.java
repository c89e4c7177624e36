package io.etcdj.server;

import com.google.protobuf.ByteString;
import io.etcdj.api.authpb.Permission;
import io.etcdj.api.etcdserverpb.AlarmMember;
import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmResponse;
import io.etcdj.api.etcdserverpb.AlarmType;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.CompactionResponse;
import io.etcdj.api.etcdserverpb.DefragmentResponse;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.DowngradeRequest;
import io.etcdj.api.etcdserverpb.DowngradeResponse;
import io.etcdj.api.etcdserverpb.HashKVRequest;
import io.etcdj.api.etcdserverpb.HashKVResponse;
import io.etcdj.api.etcdserverpb.HashResponse;
import io.etcdj.api.etcdserverpb.LeaseCheckpoint;
import io.etcdj.api.etcdserverpb.LeaseCheckpointRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseLeasesRequest;
import io.etcdj.api.etcdserverpb.LeaseLeasesResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeResponse;
import io.etcdj.api.etcdserverpb.LeaseStatus;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveRequest;
import io.etcdj.api.etcdserverpb.LeaseTimeToLiveResponse;
import io.etcdj.api.etcdserverpb.MemberAddRequest;
import io.etcdj.api.etcdserverpb.MemberAddResponse;
import io.etcdj.api.etcdserverpb.MemberListRequest;
import io.etcdj.api.etcdserverpb.MemberListResponse;
import io.etcdj.api.etcdserverpb.MemberPromoteRequest;
import io.etcdj.api.etcdserverpb.MemberPromoteResponse;
import io.etcdj.api.etcdserverpb.MemberRemoveRequest;
import io.etcdj.api.etcdserverpb.MemberRemoveResponse;
import io.etcdj.api.etcdserverpb.MemberUpdateRequest;
import io.etcdj.api.etcdserverpb.MemberUpdateResponse;
import io.etcdj.api.etcdserverpb.MoveLeaderRequest;
import io.etcdj.api.etcdserverpb.MoveLeaderResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.StatusRequest;
import io.etcdj.api.etcdserverpb.StatusResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.lease.LeaseInfo;
import io.etcdj.mvcc.lease.LessorConfig;
import io.etcdj.mvcc.quota.QuotaChecker;
import io.etcdj.mvcc.watch.WatchStream;
import io.etcdj.raft.ProposalDroppedException;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.server.apply.AppliedIndex;
import io.etcdj.server.apply.ApplyBacklog;
import io.etcdj.server.apply.WaitRegistry;
import io.etcdj.server.auth.AuthStore;
import io.etcdj.server.auth.Caller;
import io.etcdj.server.auth.PasswordHasher;
import io.etcdj.server.auth.RequestPermissions;
import io.etcdj.server.grpcgo.CallDeadline;
import io.etcdj.server.membership.Member;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.membership.ReconfigurationCheck;
import io.etcdj.server.pb.ClusterVersionSet;
import io.etcdj.server.pb.InternalRaftRequest;
import io.etcdj.server.pb.MemberAttributes;
import io.etcdj.server.pb.V2Request;
import io.etcdj.server.raft.LeaderWaiters;
import io.etcdj.server.raft.RaftLoop;
import io.etcdj.server.raft.RaftView;
import io.etcdj.server.read.ReadIndexBatcher;
import io.etcdj.server.snapshot.PackedSnapshot;
import io.etcdj.server.storage.ServerBackend;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EtcdServer} over the raft loop: writes (also lease grants and revokes) are proposed as
 * {@link InternalRaftRequest}s and answered by the applier through the {@link WaitRegistry};
 * linearizable reads wait for a ReadIndex round and then read the local backend on the read
 * executor. Keepalives are answered by the leader's primary lessor; a follower forwards them
 * through the {@link LeaseForwarder} ({@link RaftLeaseRenewals}); membership changes are
 * {@link RaftMemberChanges}.
 */

public final class RaftEtcdServer implements EtcdServer {
    private static final Logger log = LoggerFactory.getLogger(RaftEtcdServer.class);
    private final long memberId;
    private final Membership membership;
    private final RaftLoop loop;
    private final WaitRegistry waits;
    private final ReadIndexBatcher reads;
    private final AppliedIndex appliedIndex;
    private final ApplyBacklog applyBacklog;
    private final ServerBackend backend;
    private final Executor readExecutor;
    private final RequestIdGenerator ids;
    private final long requestTimeoutMillis;
    private final long maxRequestBytes;
    private final String version;
    private final LeaseForwarder leaseForwarder;
    private final QuotaChecker quota;
    private final MemberMaintenance maintenance;
    /** etcd's gRPC overhead allowance added to --max-request-bytes (the watch fragment size). */
    private static final int GRPC_OVERHEAD_BYTES = 512 * 1024;
    /** etcd's per-stream watch response buffer. */
    private static final int WATCH_STREAM_CAPACITY = 128;
    private volatile boolean stopped;
    /** --client-cert-auth (set once at start): see {@link #caller(String, String)}. */
    private volatile boolean usersFromCertificates;
    private final AuthStore authStore;
    private final AuthServer authServer;
    /** Told of each proposal raft dropped or that was not applied within the request timeout. */
    private final Runnable proposalFailed;
    /** Writes made while there is no leader wait here for one. */
    private final LeaderWaiters leaderWaiters;
    /** etcd's words for a proposal raft took that was not applied in time. */
    private final ProposalTimeoutReason timeoutReason;
    private final RaftLeaseRenewals leaseRenewals;
    private final RaftMemberChanges memberChanges;

    public RaftEtcdServer(long memberId, Membership membership, RaftLoop loop, WaitRegistry waits,
                          ReadIndexBatcher reads, AppliedIndex appliedIndex, ServerBackend backend,
                          Executor readExecutor, RequestIdGenerator ids, Duration requestTimeout,
                          long maxRequestBytes, String version, LeaseForwarder leaseForwarder,
                          AuthStore authStore, PasswordHasher hasher, long quotaBackendBytes,
                          MemberMaintenance maintenance, Runnable proposalFailed,
                          LeaderWaiters leaderWaiters,
                          ReconfigurationCheck reconfigurationCheck,
                          LearnerReadiness learnerReadiness, ProposalTimeoutReason timeoutReason) {
        this.proposalFailed = proposalFailed;
        this.timeoutReason = timeoutReason;
        this.leaderWaiters = leaderWaiters;
        this.leaseForwarder = leaseForwarder;
        this.authStore = authStore;
        this.authServer = new RaftAuthServer(authStore, hasher, this::propose, this::linearizableBarrier,
                this::header, this::complete, readExecutor, this::guard);
        this.quota = new QuotaChecker(backend::sizeBytes, quotaBackendBytes);
        this.maintenance = maintenance;
        this.memberId = memberId;
        this.membership = membership;
        this.loop = loop;
        this.waits = waits;
        this.reads = reads;
        this.appliedIndex = appliedIndex;
        this.applyBacklog = new ApplyBacklog(() -> loop.view().commitIndex(), appliedIndex::get);
        this.backend = backend;
        this.readExecutor = readExecutor;
        this.ids = ids;
        this.requestTimeoutMillis = requestTimeout.toMillis();
        this.maxRequestBytes = maxRequestBytes;
        this.version = version;
        this.leaseRenewals = new RaftLeaseRenewals(loop.view(), appliedIndex, backend::lessor, membership,
                leaseForwarder, readExecutor, requestTimeoutMillis, () -> stopped);
        this.memberChanges = new RaftMemberChanges(membership, reconfigurationCheck, learnerReadiness,
                requestTimeoutMillis, this::proposeConfChange, this::clusterHeader, this::guard);
        backend.watchable().setResponseHeaders(this::header); // watch responses are built complete
    }

    /** --client-cert-auth: the CN of a client certificate is the user of a call without a token. */
    public void takeUsersFromClientCertificates(boolean on) {
        usersFromCertificates = on;
    }

    @Override
    public CompletableFuture<Caller> caller(String token, String certificateCommonName) {
        if ((token == null || token.isEmpty()) && usersFromCertificates && certificateCommonName != null
                && !certificateCommonName.isEmpty() && authStore.state().enabled()) {
            return CompletableFuture.completedFuture(new Caller(certificateCommonName, authStore.state().revision()));
        }
        return caller(token);
    }

    @Override
    public CompletableFuture<Caller> caller(String token) {
        if (token == null || token.isEmpty()) {
            return CompletableFuture.completedFuture(Caller.ANONYMOUS);
        }
        long index = authStore.tokens().appliedIndexNeeded(token);
        if (index < 0) {
            return CompletableFuture.failedFuture(EtcdError.INVALID_AUTH_TOKEN.exception());
        }
        Function<Object, CompletableFuture<Caller>> resolve = x -> {
            try {
                return CompletableFuture.completedFuture(authStore.caller(token));
            } catch (EtcdException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
        if (appliedIndex.get() >= index) {
            return resolve.apply(null);
        }
        return RequestTimeouts.orTimeout(appliedIndex.await(index), requestTimeoutMillis)
                .handle((x, err) -> err != null
                        ? CompletableFuture.<Caller>failedFuture(EtcdError.INVALID_AUTH_TOKEN.exception())
                        : resolve.apply(null))
                .thenCompose(Function.identity());
    }

    @Override
    public void authorizeAdmin(Caller caller) {
        authStore.state().checkAdmin(caller);
    }

    @Override
    public void authorizeRead(Caller caller, ByteString key, ByteString rangeEnd) {
        authStore.checkKey(caller, Permission.Type.READ, key, rangeEnd);
    }

    @Override
    public AuthServer auth() {
        return authServer;
    }

    /** After this every call fails with "server stopped". */
    public void markStopped() {
        stopped = true;
        waits.failAll(EtcdError.STOPPED.exception());
    }

    @Override
    public long clusterId() {
        return membership.clusterId();
    }

    @Override
    public long memberId() {
        return memberId;
    }

    /** Whether {@code id} was a member of this cluster and was removed (an ID never comes back). */
    public boolean isRemovedMember(long id) {
        return membership.isRemoved(id);
    }

    @Override
    public ResponseHeader header() {
        return header(backend.currentRevision());
    }

    /** The Cluster service's header: etcd leaves the revision out of member responses. */
    private ResponseHeader clusterHeader() {
        return header(0);
    }

    @Override
    public ResponseHeader header(long revision) {
        return ResponseHeader.newBuilder().setClusterId(membership.clusterId()).setMemberId(memberId)
                .setRevision(revision).setRaftTerm(loop.view().term()).build();
    }

    private ResponseHeader complete(ResponseHeader partial) {
        return partial.toBuilder().setClusterId(membership.clusterId()).setMemberId(memberId)
                .setRaftTerm(loop.view().term()).build();
    }

    @Override
    public RaftStatus raftStatus() {
        RaftView v = loop.view();
        Member self = membership.member(memberId);
        return new RaftStatus(v.leader(), v.term(), v.commitIndex(), appliedIndex.get(), self != null && self.learner());
    }

    @Override
    public CompletableFuture<RangeResponse> range(RangeRequest request, Caller caller) {
        Function<Void, RangeResponse> read = v -> {
            RequestPermissions.checkRange(authStore.state(), caller, request);
            RangeResponse r = backend.range(request);
            return r.toBuilder().setHeader(complete(r.getHeader())).build();
        };
        if (request.getSerializable()) {
            // A local read needs no raft round: served on the caller's thread, with no hand-off.
            return guard(onThisThread(() -> read.apply(null)));
        }
        return guard(linearizableBarrier().thenApplyAsync(read, readExecutor));
    }

    @Override
    public CompletableFuture<PutResponse> put(PutRequest request, Caller caller) {
        if (!quota.available(request)) {
            return noSpace();
        }
        return this.<PutResponse>propose(RaftAuthServer.withCaller(InternalRaftRequest.newBuilder().setPut(request), caller))
                .thenApply(r -> r.toBuilder().setHeader(complete(r.getHeader())).build());
    }

    @Override
    public CompletableFuture<DeleteRangeResponse> deleteRange(DeleteRangeRequest request, Caller caller) {
        return this.<DeleteRangeResponse>propose(RaftAuthServer.withCaller(
                        InternalRaftRequest.newBuilder().setDeleteRange(request), caller))
                .thenApply(r -> r.toBuilder().setHeader(complete(r.getHeader())).build());
    }

    @Override
    public CompletableFuture<TxnResponse> txn(TxnRequest request, Caller caller) {
        if (!quota.available(request)) {
            return noSpace();
        }
        return this.<TxnResponse>propose(RaftAuthServer.withCaller(InternalRaftRequest.newBuilder().setTxn(request), caller))
                .thenApply(r -> r.toBuilder().setHeader(complete(r.getHeader())).build());
    }

    @Override
    public CompletableFuture<CompactionResponse> compact(CompactionRequest request, Caller caller) {
        // etcd 3.4 lets any client compact, with or without a token, even while auth is enabled
        return this.<CompactionResponse>propose(InternalRaftRequest.newBuilder().setCompaction(request))
                .thenApply(r -> r.toBuilder().setHeader(complete(r.getHeader())).build());
    }

    @Override
    public CompletableFuture<MemberListResponse> memberList(MemberListRequest request) {
        CompletableFuture<Void> ready = request.getLinearizable()
                ? linearizableBarrier() : CompletableFuture.completedFuture(null);
        return guard(ready.thenApplyAsync(v -> MemberListResponse.newBuilder().setHeader(clusterHeader())
                .addAllMembers(Member.toApi(membership.members())).build(), readExecutor));
    }

    @Override
    public CompletableFuture<StatusResponse> status(StatusRequest request) {
        return guard(CompletableFuture.supplyAsync(() -> {
            RaftStatus s = raftStatus();
            StatusResponse.Builder r = StatusResponse.newBuilder().setHeader(header()).setVersion(version)
                    .setDbSize(backend.sizeBytes()).setDbSizeInUse(backend.sizeInUseBytes())
                    .setLeader(s.leader()).setRaftIndex(s.committedIndex()).setRaftTerm(s.term())
                    .setRaftAppliedIndex(s.appliedIndex()).setIsLearner(s.learner());
            if (s.leader() == 0) {
                r.addErrors(EtcdError.NO_LEADER.message()); // etcd lists it before the alarms
            }
            return r.addAllErrors(backend.alarms().stream().map(RaftEtcdServer::alarmText).toList()).build();
        }, readExecutor));
    }

    @Override
    public CompletableFuture<Void> linearizableBarrier() {
        if (stopped) {
            return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
        }
        return RequestTimeouts.orTimeout(reads.awaitReadable(), requestTimeoutMillis);
    }

    /** How etcd lists a raised alarm in StatusResponse.errors (its Go text form of AlarmMember). */
    static String alarmText(AlarmMember a) {
        return "memberID:" + Long.toUnsignedString(a.getMemberID()) + " alarm:" + a.getAlarm().name() + " ";
    }

    // ------------------------------------------------------------------ maintenance

    /**
     * etcd's quota gate: the request would take the backend over the quota, so raise NOSPACE for
     * this member through raft (whatever that answers) and refuse with "database space exceeded".
     */
    private <T> CompletableFuture<T> noSpace() {
        AlarmRequest raise = AlarmRequest.newBuilder().setAction(AlarmRequest.AlarmAction.ACTIVATE)
                .setMemberID(memberId).setAlarm(AlarmType.NOSPACE).build();
        return alarm(raise).handle((r, err) -> null)
                .thenCompose(x -> CompletableFuture.failedFuture(EtcdError.NO_SPACE.exception()));
    }

    @Override
    public CompletableFuture<AlarmResponse> alarm(AlarmRequest request) {
        return this.<AlarmResponse>propose(InternalRaftRequest.newBuilder().setAlarm(request))
                .thenApply(r -> r.toBuilder().setHeader(complete(r.getHeader())).build());
    }

    @Override
    public CompletableFuture<DefragmentResponse> defragment() {
        return guard(maintenance.defragment().whenComplete((r, err) -> quota.forgetSize()));
    }

    @Override
    public CompletableFuture<HashResponse> hash() {
        return guard(maintenance.hash(this::header));
    }

    @Override
    public CompletableFuture<HashKVResponse> hashKv(HashKVRequest request) {
        return guard(maintenance.hashKv(request, this::header));
    }

    @Override
    public CompletableFuture<MoveLeaderResponse> moveLeader(MoveLeaderRequest request) {
        if (stopped) {
            return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
        }
        return guard(maintenance.moveLeader(request, this::header));
    }

    @Override
    public CompletableFuture<PackedSnapshot> snapshot() {
        if (stopped) {
            return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
        }
        return guard(maintenance.snapshot());
    }

    @Override
    public CompletableFuture<DowngradeResponse> downgrade(DowngradeRequest request) {
        return CompletableFuture.failedFuture(DowngradeAnswers.refusal(request).exception());
    }

    // ------------------------------------------------------------------ leases

    @Override
    public CompletableFuture<LeaseGrantResponse> leaseGrant(LeaseGrantRequest request) {
        if (request.getTTL() > LessorConfig.MAX_TTL_SECONDS) {
            return CompletableFuture.failedFuture(EtcdError.LEASE_TTL_TOO_LARGE.exception());
        }
        if (!quota.available(request)) {
            return noSpace();
        }
        LeaseGrantRequest withId = request.getID() != 0 ? request
                : request.toBuilder().setID(ids.next() & Long.MAX_VALUE).build();
        return this.<LeaseGrantResponse>propose(InternalRaftRequest.newBuilder().setLeaseGrant(withId))
                .thenApply(r -> r.toBuilder().setHeader(complete(r.getHeader())).build());
    }

    @Override
    public CompletableFuture<LeaseRevokeResponse> leaseRevoke(LeaseRevokeRequest request, Caller caller) {
        return this.<LeaseRevokeResponse>propose(RaftAuthServer.withCaller(
                        InternalRaftRequest.newBuilder().setLeaseRevoke(request), caller))
                .thenApply(r -> r.toBuilder().setHeader(complete(r.getHeader())).build());
    }

    /** Proposes remaining-TTL checkpoints (the leader's lease timer); completes once applied. */
    public CompletableFuture<Void> leaseCheckpoint(List<LeaseCheckpoint> checkpoints) {
        return this.<Object>propose(InternalRaftRequest.newBuilder().setLeaseCheckpoint(
                LeaseCheckpointRequest.newBuilder().addAllCheckpoints(checkpoints))).thenApply(r -> null);
    }

    @Override
    public CompletableFuture<Long> leaseRenew(long id, boolean mayForward) {
        return guard(leaseRenewals.renew(id, mayForward));
    }

    @Override
    public CompletableFuture<LeaseTimeToLiveResponse> leaseTimeToLive(LeaseTimeToLiveRequest request,
                                                                      boolean mayForward) {
        RaftView v = loop.view();
        Member leader = v.leader() == 0 || v.isLeader() ? null : membership.member(v.leader());
        if (mayForward && leader != null && !leader.clientUrls().isEmpty()) {
            return guard(leaseForwarder.timeToLive(leader, request, requestTimeoutMillis)
                    .thenApply(r -> r.toBuilder().setHeader(header()).build()));
        }
        return guard(linearizableBarrier().thenApplyAsync(x -> {
            LeaseInfo info = backend.lessor().timeToLive(request.getID(), request.getKeys());
            LeaseTimeToLiveResponse.Builder r = LeaseTimeToLiveResponse.newBuilder().setHeader(header())
                    .setID(request.getID());
            if (info == null) {
                return r.setTTL(-1).build();
            }
            return r.setTTL(info.remainingTtl()).setGrantedTTL(info.grantedTtl()).addAllKeys(info.keys()).build();
        }, readExecutor));
    }

    @Override
    public CompletableFuture<LeaseLeasesResponse> leaseLeases(LeaseLeasesRequest request) {
        return guard(linearizableBarrier().thenApplyAsync(x -> LeaseLeasesResponse.newBuilder().setHeader(header())
                .addAllLeases(backend.lessor().leases().stream()
                        .map(l -> LeaseStatus.newBuilder().setID(l.id()).build()).toList())
                .build(), readExecutor));
    }

    static EtcdException etcdException(MvccException e) {
        return new EtcdException(Status.Code.valueOf(e.grpcCode()), e.getMessage());
    }

    // ------------------------------------------------------------------ watch

    @Override
    public WatchStream openWatchStream() {
        int fragmentBytes = (int) Math.min(Integer.MAX_VALUE, maxRequestBytes + GRPC_OVERHEAD_BYTES);
        return backend.watchable().newStream(WATCH_STREAM_CAPACITY, fragmentBytes);
    }

    /**
     * Proposes a v2 keys request; completes once applied here with the store's event (null for
     * SYNC) or the {@code V2Error} it was refused with (as the value, not as a failure).
     * Of any size: --max-request-bytes bounds v3 requests only (etcd proposes v2 ones unchecked;
     * the HTTP body limit is what bounds them).
     */
    public CompletableFuture<Object> proposeV2(V2Request request) {
        return propose(InternalRaftRequest.newBuilder().setV2(request), Long.MAX_VALUE);
    }

    /** Proposes this member's name and client URLs (etcd's publish); completes once applied. */
    public CompletableFuture<Void> publishAttributes(String name, List<String> clientUrls) {
        return this.<Object>propose(InternalRaftRequest.newBuilder().setMemberAttributes(
                MemberAttributes.newBuilder().setMemberId(memberId).setName(name)
                        .addAllClientUrls(clientUrls))).thenApply(r -> null);
    }

    /** Proposes the decided cluster version; a lost proposal is made again at the next publish or leader change. */
    void proposeClusterVersion(String version) {
        this.<Object>propose(InternalRaftRequest.newBuilder().setClusterVersionSet(
                ClusterVersionSet.newBuilder().setVer(version)))
                .whenComplete((r, e) -> { });
    }

    /**
     * Registers a waiter, proposes, and completes with what the applier produced for this ID.
     * Fails with "no leader" when raft drops the proposal for want of a leader, and with
     * "request timed out" when the entry is not applied within the request timeout.
     */
    <T> CompletableFuture<T> propose(InternalRaftRequest.Builder request) {
        return propose(request, maxRequestBytes);
    }

    /** As {@link #propose(InternalRaftRequest.Builder)}, refusing an entry over {@code maxBytes}. */
    private <T> CompletableFuture<T> propose(InternalRaftRequest.Builder request, long maxBytes) {
        if (stopped) {
            return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
        }
        EtcdError backlogged = applyBacklog.refusal();
        if (backlogged != null) {
            return CompletableFuture.failedFuture(backlogged.exception());
        }
        long id = ids.next();
        ByteString data = request.setId(id).build().toByteString();
        if (data.size() > maxBytes) {
            return CompletableFuture.failedFuture(EtcdError.REQUEST_TOO_LARGE.exception());
        }
        return awaitApplied(id, () -> loop.propose(data));
    }

    /**
     * Registers a waiter for request {@code id}, THEN proposes (so the applier cannot answer before
     * anyone waits), and completes with what the applier produced for it.
     */
    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> awaitApplied(long id, Supplier<CompletableFuture<Void>> proposal) {
        long proposedAt = System.nanoTime();
        CompletableFuture<Object> applied = waits.register(id);
        AtomicBoolean accepted = new AtomicBoolean();
        submit(id, proposal, applied, accepted);
        // a client's grpc-timeout ends the wait as the request timeout does, in the same words
        Runnable withdraw = CallDeadline.whenExpired(
                () -> applied.completeExceptionally(new TimeoutException()));
        return guard(RequestTimeouts.orTimeout(applied, requestTimeoutMillis)
                .whenComplete((v, err) -> {
                    withdraw.run();
                    if (err != null) {
                        waits.cancel(id);
                        if (unwrap(err) instanceof TimeoutException) {
                            proposalFailed.run();
                        }
                    }
                })
                .exceptionallyCompose(err -> !(unwrap(err) instanceof TimeoutException)
                        ? CompletableFuture.failedFuture(err)
                        : CompletableFuture.failedFuture((accepted.get() ? timeoutReason.of(proposedAt)
                                : EtcdError.PROPOSAL_DEADLINE).exception()))
                .thenApply(r -> (T) r));
    }

    /**
     * Hands the proposal to raft. As in etcd, raft takes no proposal while there is no leader: the
     * proposer waits for one and proposes then, so a write made during an election succeeds once it
     * is over; one that waits out the whole request timeout fails with the raw "context deadline
     * exceeded" etcd gives. A proposal dropped while there is a leader (a leadership transfer) fails.
     */
    private void submit(long id, Supplier<CompletableFuture<Void>> proposal,
                        CompletableFuture<Object> applied, AtomicBoolean accepted) {
        proposal.get().whenComplete((v, err) -> {
            if (err == null) {
                accepted.set(true);
                return;
            }
            Throwable cause = unwrap(err);
            if (cause instanceof ProposalDroppedException && loop.view().leader() == 0 && !stopped) {
                CompletableFuture<Void> leader = leaderWaiters.awaitAnyLeader();
                applied.whenComplete((r, e) -> leader.cancel(false)); // the request timed out meanwhile
                leader.thenRun(() -> {
                    if (!applied.isDone()) {
                        submit(id, proposal, applied, accepted);
                    }
                });
                return;
            }
            proposalFailed.run();
            waits.fail(id, EtcdError.TIMEOUT.exception());
        });
    }

    @Override
    public CompletableFuture<MemberAddResponse> memberAdd(MemberAddRequest request) {
        return memberChanges.add(request);
    }

    @Override
    public CompletableFuture<MemberRemoveResponse> memberRemove(MemberRemoveRequest request) {
        return memberChanges.remove(request);
    }

    @Override
    public CompletableFuture<MemberUpdateResponse> memberUpdate(MemberUpdateRequest request) {
        return memberChanges.update(request);
    }

    @Override
    public CompletableFuture<MemberPromoteResponse> memberPromote(MemberPromoteRequest request) {
        return memberChanges.promote(request);
    }

    /** Proposes a conf change carrying {@code member}'s record; completes with the members once applied. */
    private CompletableFuture<List<Member>> proposeConfChange(ConfChangeType type, Member member) {
        if (stopped) {
            return CompletableFuture.failedFuture(EtcdError.STOPPED.exception());
        }
        long id = ids.next();
        ConfChange cc = ConfChange.newBuilder().setId(id).setType(type).setNodeId(member.id())
                .setContext(member.toRecord().toByteString()).build();
        return awaitApplied(id, () -> loop.proposeConfChange(cc));
    }

    /** Maps any failure to an {@link EtcdException}, keeping etcd errors as they are. */
    private static <T> CompletableFuture<T> onThisThread(Supplier<T> work) {
        try {
            return CompletableFuture.completedFuture(work.get());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    <T> CompletableFuture<T> guard(CompletableFuture<T> f) {
        return f.handle((v, err) -> {
            if (err == null) {
                return CompletableFuture.completedFuture(v);
            }
            Throwable cause = unwrap(err);
            if (cause instanceof EtcdException) {
                return CompletableFuture.<T>failedFuture(cause);
            }
            if (cause instanceof TimeoutException) {
                return CompletableFuture.<T>failedFuture(EtcdError.TIMEOUT.exception());
            }
            if (!stopped) {
                log.warn("request failed unexpectedly", cause);
            }
            return CompletableFuture.<T>failedFuture(
                    (stopped ? EtcdError.STOPPED : EtcdError.TIMEOUT).exception());
        }).thenCompose(Function.identity());
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
