package io.etcdj.server.apply;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.api.authpb.Permission;
import io.etcdj.mvcc.lease.LeaseInfo;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.server.EtcdError;
import io.etcdj.server.EtcdException;
import io.etcdj.server.auth.AuthState;
import io.etcdj.server.auth.AuthStore;
import io.etcdj.server.auth.Caller;
import io.etcdj.server.auth.RequestPermissions;
import io.etcdj.server.membership.Member;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.membership.MembershipLog;
import io.etcdj.server.pb.InternalRaftRequest;
import io.etcdj.server.pb.MemberAttributes;
import io.etcdj.server.storage.ServerBackend;
import io.etcdj.server.v2.replicated.V2StateMachine;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one committed entry to the backend and the membership, then wakes its waiter.
 *
 * <p>Entries at or below the backend's consistent index are already in the backend (restart
 * replays them): their key-space effects are skipped, but conf changes still go to raft (which
 * rebuilds its configuration from them) and to the in-memory membership.
 */
public final class EntryApplier {
    private static final Logger log = LoggerFactory.getLogger(EntryApplier.class);

    private final ServerBackend backend;
    private final Membership membership;
    private final WaitRegistry waits;
    /** Applies a conf change to the raft node (on the loop thread) and waits for it. */
    private final Function<ConfChange, ConfState> raftConfChange;

    private final V2StateMachine v2;
    private final long selfId;
    private final Runnable selfRemoved;
    private final LongConsumer emptyEntryApplied;
    /** Run after a member's attributes are applied: the leader may now decide the cluster version. */
    private final Runnable clusterVersionCheck;
    private final AuthStore auth;
    /** --experimental-warning-apply-duration: a slower apply is logged as "apply request took too long". */
    private final long warningApplyNanos;

    /**
     * @param selfRemoved called (once per removal entry) when this member is removed from the cluster
     * @param emptyEntryApplied called with the term of each newly applied empty entry (a new leader's
     *     first entry): the leader promotes its lessor then, as etcd does
     * @param clusterVersionCheck called after each applied publish of a member's attributes (it must
     *     not block: it may propose)
     */
    public EntryApplier(long selfId, ServerBackend backend, Membership membership, WaitRegistry waits,
                        Function<ConfChange, ConfState> raftConfChange, Runnable selfRemoved,
                        LongConsumer emptyEntryApplied, Runnable clusterVersionCheck,
                        AuthStore auth, V2StateMachine v2, Duration warningApplyDuration) {
        this.clusterVersionCheck = clusterVersionCheck;
        this.warningApplyNanos = warningApplyDuration.toNanos();
        this.auth = auth;
        this.v2 = v2;
        this.selfId = selfId;
        this.selfRemoved = selfRemoved;
        this.emptyEntryApplied = emptyEntryApplied;
        this.backend = backend;
        this.membership = membership;
        this.waits = waits;
        this.raftConfChange = raftConfChange;
    }

    public void apply(Entry entry) {
        boolean alreadyInBackend = entry.getIndex() <= backend.consistentIndex();
        if (entry.getType() == EntryType.EntryConfChange) {
            applyConfChange(entry, alreadyInBackend);
        } else if (!alreadyInBackend) {
            long start = System.nanoTime();
            applyNormal(entry);
            long took = System.nanoTime() - start;
            if (took > warningApplyNanos) {
                SlowApplyLog.warn(entry, took, warningApplyNanos);
            }
        }
    }

    private void applyNormal(Entry entry) {
        long index = entry.getIndex();
        backend.setApplyPosition(index, entry.getTerm());
        if (entry.getData().isEmpty()) { // a new leader's empty entry
            backend.markApplied();
            emptyEntryApplied.accept(entry.getTerm());
            return;
        }
        InternalRaftRequest request;
        try {
            request = InternalRaftRequest.parseFrom(entry.getData());
        } catch (InvalidProtocolBufferException e) {
            log.error("entry {} is not an internal request; skipped", index, e);
            backend.markApplied();
            return;
        }
        EtcdError refused = AlarmGate.refusal(request, backend.alarms());
        if (refused != null) {
            backend.markApplied();
            waits.fail(request.getId(), refused.exception());
            return;
        }
        try {
            if (AuthStore.isAuthRequest(request)) {
                waits.trigger(request.getId(), auth.apply(request, index));
                return;
            }
            checkCallerPermission(request);
            Object result = switch (request.getRequestCase()) {
                case V2 -> v2.apply(request.getV2());
                case PUT -> backend.put(request.getPut());
                case DELETE_RANGE -> backend.deleteRange(request.getDeleteRange());
                case TXN -> backend.txn(request.getTxn());
                case COMPACTION -> backend.compact(request.getCompaction());
                case LEASE_GRANT -> backend.leaseGrant(request.getLeaseGrant());
                case LEASE_REVOKE -> backend.leaseRevoke(request.getLeaseRevoke());
                case ALARM -> backend.alarm(request.getAlarm());
                case LEASE_CHECKPOINT -> {
                    backend.leaseCheckpoint(request.getLeaseCheckpoint());
                    yield Boolean.TRUE;
                }
                case MEMBER_ATTRIBUTES -> {
                    MemberAttributes attrs = request.getMemberAttributes();
                    membership.apply(attrs);
                    v2.recordAttributes(attrs.getMemberId(), attrs.getName(), attrs.getClientUrlsList());
                    backend.saveMembership(membership.toRecord(), v2.state());
                    clusterVersionCheck.run();
                    yield Boolean.TRUE;
                }
                case CLUSTER_VERSION_SET -> {
                    v2.applyClusterVersion(request.getClusterVersionSet().getVer());
                    yield Boolean.TRUE;
                }
                case REQUEST_NOT_SET -> {
                    backend.markApplied();
                    yield Boolean.TRUE;
                }
                default -> throw new IllegalStateException("unhandled request " + request.getRequestCase());
            };
            waits.trigger(request.getId(), result);
        } catch (EtcdException e) {
            // A refused request (compacted revision, ...) changes nothing but is applied.
            backend.markApplied();
            waits.fail(request.getId(), e);
        }
    }

    /**
     * A client's write carries the caller it was authorized for: checked again here against the
     * auth store as of this entry (etcd's auth applier), so a permission revoked meanwhile, or an
     * auth store changed since ("revision of auth store is old"), refuses the write.
     */
    private void checkCallerPermission(InternalRaftRequest request) {
        if (!request.hasCaller()) {
            return;
        }
        Caller caller = new Caller(request.getCaller().getUserName(), request.getCaller().getAuthRevision());
        AuthState state = auth.state();
        switch (request.getRequestCase()) {
            case PUT -> {
                RequestPermissions.checkPut(state, caller, request.getPut());
                checkLeaseKeysWritable(state, caller, request.getPut().getLease());
            }
            case LEASE_REVOKE -> checkLeaseKeysWritable(state, caller, request.getLeaseRevoke().getID());
            case DELETE_RANGE -> RequestPermissions.checkDeleteRange(state, caller, request.getDeleteRange());
            case TXN -> RequestPermissions.checkTxn(state, caller, request.getTxn());
            default -> { }
        }
    }

    /**
     * etcd's lease rule: attaching a key to a lease, or revoking it, needs WRITE on every key
     * already attached to it (whoever revokes the lease deletes them all). Txn puts are not
     * checked this way, as in etcd 3.4.
     */
    private void checkLeaseKeysWritable(AuthState state, Caller caller, long leaseId) {
        if (leaseId == 0 || !state.enabled()) {
            return;
        }
        LeaseInfo lease = backend.lessor().timeToLive(leaseId, true);
        if (lease == null) {
            return; // the request itself fails with "requested lease not found"
        }
        for (ByteString key : lease.keys()) {
            state.checkKey(caller, Permission.Type.WRITE, key,
                    ByteString.EMPTY);
        }
    }

    private void applyConfChange(Entry entry, boolean alreadyInBackend) {
        ConfChange cc;
        try {
            cc = ConfChange.parseFrom(entry.getData());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("conf change entry " + entry.getIndex() + " is corrupt", e);
        }
        raftConfChange.apply(cc);
        Member before = membership.member(cc.getNodeId());
        membership.apply(cc);
        MembershipLog.changed(selfId, membership, cc, before);
        if (!alreadyInBackend) {
            backend.setApplyPosition(entry.getIndex(), entry.getTerm());
            v2.recordConfChange(cc.getType(), cc.getNodeId(), before, membership.member(cc.getNodeId()));
            backend.saveMembership(membership.toRecord(), v2.state());
        }
        waits.trigger(cc.getId(), membership.members());
        if (cc.getType() == ConfChangeType.ConfChangeRemoveNode && cc.getNodeId() == selfId
                && !alreadyInBackend) {
            log.warn("the member has been permanently removed from the cluster");
            selfRemoved.run();
        }
    }
}
