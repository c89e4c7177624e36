package io.etcdj.server.storage;

import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.CompactionResponse;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.LeaseCheckpointRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeResponse;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.mvcc.lease.Lessor;
import io.etcdj.mvcc.watch.WatchableStore;
import io.etcdj.server.pb.MembershipRecord;
import io.etcdj.api.etcdserverpb.AlarmMember;
import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmResponse;
import io.etcdj.mvcc.HashKvResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The member's state machine store as the applier and the read path see it: the MVCC key space,
 * the consistent index and the members schema, all in one backend.
 *
 * <p>Invariants: before applying an entry the applier calls {@link #setApplyPosition}; every
 * write then commits its data together with that position as the consistent index in ONE atomic
 * batch (a refused request writes nothing; {@link #markApplied} records the position alone); only
 * the applier thread writes. Reads may come from any thread and see a consistent view. Responses
 * carry a header whose revision is set; the server fills the other header fields. Failures a
 * client can see are thrown as {@link io.etcdj.server.EtcdException}.
 */
public interface ServerBackend extends AutoCloseable {

    /** The index of the last raft entry whose effects are in this backend (0 if none). */
    long consistentIndex();

    long currentRevision();

    long compactRevision();

    long sizeBytes();

    long sizeInUseBytes();

    RangeResponse range(RangeRequest request);

    /** The raft entry (index, term) that the next commit records as the consistent index. */
    void setApplyPosition(long index, long term);

    PutResponse put(PutRequest request);

    DeleteRangeResponse deleteRange(DeleteRangeRequest request);

    TxnResponse txn(TxnRequest request);

    CompactionResponse compact(CompactionRequest request);

    /**
     * Grants the lease (its ID already chosen, non-zero), persisted with the apply position.
     * Fails with etcd's lease errors (exists, too large TTL).
     */
    LeaseGrantResponse leaseGrant(LeaseGrantRequest request);

    /** Revokes the lease and deletes its keys in one revision; fails with "requested lease not found". */
    LeaseRevokeResponse leaseRevoke(LeaseRevokeRequest request);

    /** Applies remaining-TTL checkpoints (unknown leases ignored), committed with the apply position. */
    void leaseCheckpoint(LeaseCheckpointRequest request);

    /**
     * The lessor over this backend's leases. The same object for the backend's whole life: a
     * {@link #restoreFrom} reloads it rather than replacing it.
     */
    Lessor lessor();

    /** The watchable store over the key space; like {@link #lessor()}, stable across restores. */
    WatchableStore watchable();

    /** Commits the apply position alone (an entry that changes no key). */
    void markApplied();

    /**
     * Replaces the stored membership and the v2 store state ({@code V2Store.save()}, which holds
     * etcd's membership records), committed together with the apply position.
     */
    void saveMembership(MembershipRecord membership, byte[] v2Store);

    Optional<MembershipRecord> loadMembership();

    /** Replaces the stored v2 store state ({@code V2Store.save()}), committed with the apply position. */
    void saveV2Store(byte[] state);

    /** The stored v2 store state, if any v2 request was ever applied. */
    Optional<byte[]> loadV2Store();
    /** Replaces the stored auth store (users, roles, enabled flag, revision), committed with the apply position. */
    void saveAuth(StoredAuth auth);

    /** The stored auth store ({@link StoredAuth#EMPTY} in a fresh backend). */
    StoredAuth loadAuth();

    /**
     * Replaces the whole backend with the checkpoint in {@code checkpoint} (a snapshot received
     * from the leader); the directory is moved into place. Blocks readers meanwhile.
     */
    void restoreFrom(Path checkpoint);

    /**
     * Applies an alarm request (etcd's semantics): GET lists the raised alarms of the request's type
     * (NONE: all); ACTIVATE raises {@code alarm} for {@code member_id} and answers it, or nothing if it
     * was already raised (NONE is ignored); DEACTIVATE clears it and answers it, or nothing if it was
     * not raised. Committed with the apply position, like every write.
     */
    AlarmResponse alarm(AlarmRequest request);

    /** The alarms raised now, in raising order. */
    List<AlarmMember> alarms();

    /** Compacts the whole backend in place (etcd's defragment); blocks until done. Any thread. */
    void defragment();

    /** A hash of every bucket but the raft position: equal on members with the same applied history. */
    int hash();

    /** etcd's HashKV at {@code revision} (0: current); fails with "compacted" / "future revision". */
    HashKvResult hashKv(long revision);

    /** Writes a consistent, openable copy of the committed backend into {@code target} (must not exist). */
    void checkpoint(Path target);

    /** Makes every commit so far durable (before raft log files are released). */
    void sync();

    @Override
    void close();
}
