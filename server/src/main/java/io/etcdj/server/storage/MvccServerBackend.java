package io.etcdj.server.storage;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import io.etcdj.api.authpb.Role;
import io.etcdj.api.authpb.User;
import io.etcdj.api.etcdserverpb.CompactionRequest;
import io.etcdj.api.etcdserverpb.CompactionResponse;
import io.etcdj.api.etcdserverpb.DeleteRangeRequest;
import io.etcdj.api.etcdserverpb.DeleteRangeResponse;
import io.etcdj.api.etcdserverpb.LeaseCheckpoint;
import io.etcdj.api.etcdserverpb.LeaseCheckpointRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantRequest;
import io.etcdj.api.etcdserverpb.LeaseGrantResponse;
import io.etcdj.api.etcdserverpb.LeaseRevokeRequest;
import io.etcdj.api.etcdserverpb.LeaseRevokeResponse;
import io.etcdj.api.etcdserverpb.ResponseHeader;
import io.etcdj.api.etcdserverpb.PutRequest;
import io.etcdj.api.etcdserverpb.PutResponse;
import io.etcdj.api.etcdserverpb.RangeRequest;
import io.etcdj.api.etcdserverpb.RangeResponse;
import io.etcdj.api.etcdserverpb.TxnRequest;
import io.etcdj.api.etcdserverpb.TxnResponse;
import io.etcdj.api.etcdserverpb.AlarmMember;
import io.etcdj.api.etcdserverpb.AlarmRequest;
import io.etcdj.api.etcdserverpb.AlarmResponse;
import io.etcdj.api.etcdserverpb.AlarmType;
import io.etcdj.mvcc.HashKvResult;
import io.etcdj.mvcc.CompactionPacing;
import io.etcdj.mvcc.KvStore;
import io.etcdj.mvcc.alarm.AlarmStore;
import io.etcdj.mvcc.MvccException;
import io.etcdj.mvcc.apply.KvRequestExecutor;
import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.BackendBatch;
import io.etcdj.mvcc.backend.BackendSize;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.mvcc.lease.LeaseInfo;
import io.etcdj.mvcc.lease.Lessor;
import io.etcdj.mvcc.lease.LessorConfig;
import io.etcdj.mvcc.lease.MonotonicClock;
import io.etcdj.mvcc.watch.WatchableStore;
import io.etcdj.server.EtcdException;
import io.etcdj.server.failpoint.Failpoints;
import io.etcdj.server.pb.MemberRecord;
import io.etcdj.server.pb.MembershipRecord;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link ServerBackend} over the mvcc module: a RocksDB {@link Backend}, the {@link KvStore} on it,
 * etcd's request semantics ({@link KvRequestExecutor}), the {@link Lessor} and the
 * {@link WatchableStore}. The store's write listener is {@code lessor.keyAttachments(watchable)}:
 * every committed revision first updates the lease attachments, then reaches the watchers. A
 * restore re-opens the store and reloads the lessor and watchable store onto it (same objects).
 *
 * <p>Members schema: bucket {@code members} maps the member ID as 16 lower-case hex digits to a
 * {@link MemberRecord}; {@code members_removed} holds the IDs of removed members (value
 * "removed"); {@code cluster} holds {@code clusterID} (8 bytes, big-endian). The v2 store's whole
 * state ({@code V2Store.save()}) is the value of {@code meta/v2store}.
 * "removed"); {@code cluster} holds {@code clusterID} (8 bytes, big-endian). Auth schema: see
 * {@link StoredAuth}.
 */
public final class MvccServerBackend implements ServerBackend {
    private static final byte[] CLUSTER_ID_KEY = "clusterID".getBytes(StandardCharsets.UTF_8);
    private static final byte[] REMOVED = "removed".getBytes(StandardCharsets.UTF_8);
    private static final byte[] V2_STORE_KEY = "v2store".getBytes(StandardCharsets.UTF_8);

    /** Whether {@code key} of {@code bucket} is where the v2 store is kept (etcd keeps it outside its db). */
    public static boolean holdsV2Store(Bucket bucket, byte[] key) {
        return bucket == Bucket.META && Arrays.equals(key, V2_STORE_KEY);
    }
    private static final byte[] AUTH_ENABLED_KEY = "authEnabled".getBytes(StandardCharsets.UTF_8);
    private static final byte[] AUTH_REVISION_KEY = "authRevision".getBytes(StandardCharsets.UTF_8);

    private final Path dir;
    /** Guards the swap of the open store by {@link #restoreFrom}; every other use holds it shared. */
    private final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();
    private Backend backend;
    private KvStore store;
    private AlarmStore alarmStore;
    private KvRequestExecutor executor;
    private final Lessor lessor;
    private final WatchableStore watchable;
    /** --experimental-compaction-batch-limit and -sleep-interval, also for a store reopened by a restore. */
    private final CompactionPacing compactionPacing;

    private MvccServerBackend(Path dir, LessorConfig lessorConfig, CompactionPacing compactionPacing) {
        this.dir = dir;
        this.compactionPacing = compactionPacing;
        openStore();
        try {
            lessor = Lessor.open(store, lessorConfig, MonotonicClock.SYSTEM);
            watchable = new WatchableStore(store);
        } catch (RuntimeException e) {
            store.close();
            backend.close();
            throw e;
        }
        wireStore();
    }

    /** Installs the listener chain and the lease check on the (re)opened store. */
    private void wireStore() {
        store.setWriteListener(lessor.keyAttachments(watchable));
        executor = new KvRequestExecutor(store, lessor::exists);
    }

    private void openStore() {
        Backend b = Backend.open(dir);
        try {
            store = KvStore.open(b, compactionPacing);
        } catch (RuntimeException e) {
            b.close();
            throw e;
        }
        b.onCommit(commitObserver);
        if (Failpoints.ENABLED) {
            b.onFailpoint(Failpoints::hit);
        }
        backend = b;
        alarmStore = new AlarmStore(b);
    }

    private volatile LongConsumer commitObserver = nanos -> { };

    /** Told the duration in nanoseconds of every backend commit, also after a restore reopens it. */
    public void onCommit(LongConsumer observer) {
        commitObserver = observer;
        shared(() -> backend.onCommit(observer));
    }

    /** Opens (creating if missing) the backend directory, e.g. member/snap/db, with etcd's default lessor. */
    public static MvccServerBackend open(Path dir) {
        return open(dir, LessorConfig.defaults());
    }

    /** Opens (creating if missing) the backend directory with the given lessor configuration. */
    public static MvccServerBackend open(Path dir, LessorConfig lessorConfig) {
        return open(dir, lessorConfig, CompactionPacing.DEFAULTS);
    }

    /** As {@link #open(Path, LessorConfig)}, with physical compactions paced as given. */
    public static MvccServerBackend open(Path dir, LessorConfig lessorConfig, CompactionPacing compactionPacing) {
        return new MvccServerBackend(dir, lessorConfig, compactionPacing);
    }

    @Override
    public Lessor lessor() {
        return lessor;
    }

    @Override
    public WatchableStore watchable() {
        return watchable;
    }

    @Override
    public LeaseGrantResponse leaseGrant(LeaseGrantRequest request) {
        return shared(() -> etcdErrors(() -> {
            LeaseInfo granted = lessor.grant(request.getID(), request.getTTL());
            return LeaseGrantResponse.newBuilder().setHeader(revisionHeader()).setID(granted.id())
                    .setTTL(granted.grantedTtl()).build();
        }));
    }

    @Override
    public LeaseRevokeResponse leaseRevoke(LeaseRevokeRequest request) {
        return shared(() -> etcdErrors(() -> {
            long rev = lessor.revoke(request.getID());
            return LeaseRevokeResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setRevision(rev)).build();
        }));
    }

    @Override
    public void leaseCheckpoint(LeaseCheckpointRequest request) {
        shared(() -> {
            for (LeaseCheckpoint c : request.getCheckpointsList()) {
                lessor.checkpoint(c.getID(), c.getRemainingTTL());
            }
            backend.commit(backend.newBatch()); // the apply position, whether or not checkpoints persist
        });
    }

    private ResponseHeader revisionHeader() {
        return ResponseHeader.newBuilder().setRevision(store.rev()).build();
    }

    /**
     * The KV store, for services built later on the same store (watch, lease, hash). It is
     * replaced when a snapshot from the leader is restored; ask again rather than keep it.
     */
    public KvStore kvStore() {
        return shared(() -> store);
    }

    @Override
    public void restoreFrom(Path checkpoint) {
        swap.writeLock().lock();
        try {
            store.close();
            backend.close();
            Path old = dir.resolveSibling(dir.getFileName() + ".old");
            deleteRecursively(old);
            Files.move(dir, old);
            Files.move(checkpoint, dir);
            deleteRecursively(old);
            openStore();
            lessor.recover(store);
            watchable.restore(store);
            wireStore();
        } catch (IOException e) {
            throw new UncheckedIOException("restoring the backend from " + checkpoint, e);
        } finally {
            swap.writeLock().unlock();
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }

    private <T> T shared(Supplier<T> op) {
        swap.readLock().lock();
        try {
            return op.get();
        } finally {
            swap.readLock().unlock();
        }
    }

    private void shared(Runnable op) {
        swap.readLock().lock();
        try {
            op.run();
        } finally {
            swap.readLock().unlock();
        }
    }

    @Override
    public long consistentIndex() {
        return shared(() -> backend.committedConsistentIndex().index());
    }

    @Override
    public long currentRevision() {
        return shared(() -> store.rev());
    }

    @Override
    public long compactRevision() {
        return shared(() -> store.compactRevision());
    }

    @Override
    public long sizeBytes() {
        return size().total();
    }

    @Override
    public long sizeInUseBytes() {
        return size().inUse();
    }

    private BackendSize size() {
        return shared(() -> backend.size());
    }

    @Override
    public RangeResponse range(RangeRequest request) {
        return shared(() -> etcdErrors(() -> executor.range(request)));
    }

    @Override
    public void setApplyPosition(long index, long term) {
        shared(() -> backend.setConsistentIndex(index, term));
    }

    @Override
    public PutResponse put(PutRequest request) {
        return shared(() -> etcdErrors(() -> executor.put(request)));
    }

    @Override
    public DeleteRangeResponse deleteRange(DeleteRangeRequest request) {
        return shared(() -> positionCommitted(etcdErrors(() -> executor.deleteRange(request))));
    }

    @Override
    public TxnResponse txn(TxnRequest request) {
        return shared(() -> positionCommitted(etcdErrors(() -> executor.txn(request))));
    }

    /**
     * A write that changed nothing (a delete of no key, a txn of reads or with a failed compare and
     * no else branch) wrote no batch, so the apply position is committed alone: a snapshot taken at
     * this entry must find the backend at it, or the restart would take the backend for one that
     * missed a received snapshot.
     */
    private <T> T positionCommitted(T response) {
        if (backend.committedConsistentIndex().index() < backend.consistentIndex().index()) {
            backend.commit(backend.newBatch());
        }
        return response;
    }

    @Override
    public CompactionResponse compact(CompactionRequest request) {
        return shared(() -> etcdErrors(() -> executor.compact(request).response()));
    }

    @Override
    public void markApplied() {
        shared(() -> backend.commit(backend.newBatch()));
    }

    @Override
    public void saveMembership(MembershipRecord membership, byte[] v2Store) {
        shared(() -> writeMembership(membership, v2Store));
    }

    private void writeMembership(MembershipRecord membership, byte[] v2Store) {
        List<byte[]> stored = new ArrayList<>();
        backend.forEach(Bucket.MEMBERS, null, null, (k, v) -> stored.add(k));
        BackendBatch batch = backend.newBatch();
        for (byte[] k : stored) {
            batch.delete(Bucket.MEMBERS, k);
        }
        for (MemberRecord m : membership.getMembersList()) {
            batch.put(Bucket.MEMBERS, idKey(m.getId()), m.toByteArray());
        }
        for (long removed : membership.getRemovedList()) {
            batch.put(Bucket.MEMBERS_REMOVED, idKey(removed), REMOVED);
        }
        batch.put(Bucket.CLUSTER, CLUSTER_ID_KEY, Backend.longBytes(membership.getClusterId()));
        batch.put(Bucket.META, V2_STORE_KEY, v2Store);
        backend.commit(batch);
    }

    @Override
    public void saveV2Store(byte[] state) {
        shared(() -> {
            BackendBatch batch = backend.newBatch();
            batch.put(Bucket.META, V2_STORE_KEY, state);
            backend.commit(batch);
        });
    }

    @Override
    public Optional<byte[]> loadV2Store() {
        return shared(() -> Optional.ofNullable(backend.get(Bucket.META, V2_STORE_KEY)));
    }

    @Override
    public Optional<MembershipRecord> loadMembership() {
        return shared(this::readMembership);
    }

    private Optional<MembershipRecord> readMembership() {
        byte[] cid = backend.get(Bucket.CLUSTER, CLUSTER_ID_KEY);
        if (cid == null) {
            return Optional.empty();
        }
        MembershipRecord.Builder r = MembershipRecord.newBuilder().setClusterId(Backend.bytesLong(cid));
        backend.forEach(Bucket.MEMBERS, null, null, (k, v) -> {
            try {
                r.addMembers(MemberRecord.parseFrom(v));
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalStateException("corrupt member record " + new String(k, StandardCharsets.UTF_8), e);
            }
            return true;
        });
        backend.forEach(Bucket.MEMBERS_REMOVED, null, null, (k, v) -> {
            r.addRemoved(Long.parseUnsignedLong(new String(k, StandardCharsets.UTF_8), 16));
            return true;
        });
        return Optional.of(r.build());
    }

    @Override
    public void saveAuth(StoredAuth auth) {
        shared(() -> {
            BackendBatch batch = backend.newBatch();
            for (Bucket b : List.of(Bucket.AUTH_USERS, Bucket.AUTH_ROLES)) {
                backend.forEach(b, null, null, (k, v) -> {
                    batch.delete(b, k);
                    return true;
                });
            }
            batch.put(Bucket.AUTH, AUTH_ENABLED_KEY, new byte[] {(byte) (auth.enabled() ? 1 : 0)});
            batch.put(Bucket.AUTH, AUTH_REVISION_KEY, Backend.longBytes(auth.revision()));
            for (User u : auth.users()) {
                batch.put(Bucket.AUTH_USERS, u.getName().toByteArray(), u.toByteArray());
            }
            for (Role r : auth.roles()) {
                batch.put(Bucket.AUTH_ROLES, r.getName().toByteArray(), r.toByteArray());
            }
            backend.commit(batch);
        });
    }

    @Override
    public StoredAuth loadAuth() {
        return shared(() -> {
            byte[] enabled = backend.get(Bucket.AUTH, AUTH_ENABLED_KEY);
            byte[] revision = backend.get(Bucket.AUTH, AUTH_REVISION_KEY);
            List<User> users = new ArrayList<>();
            List<Role> roles = new ArrayList<>();
            try {
                backend.forEach(Bucket.AUTH_USERS, null, null, (k, v) -> users.add(parse(User.parser(), v)));
                backend.forEach(Bucket.AUTH_ROLES, null, null, (k, v) -> roles.add(parse(Role.parser(), v)));
            } catch (IllegalStateException e) {
                throw new IllegalStateException("corrupt auth store in the backend", e);
            }
            return new StoredAuth(enabled != null && enabled.length == 1 && enabled[0] == 1,
                    revision == null ? 0 : Backend.bytesLong(revision), users, roles);
        });
    }

    private static <T> T parse(Parser<T> parser, byte[] v) {
        try {
            return parser.parseFrom(v);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void sync() {
        shared(() -> backend.sync());
    }

    @Override
    public AlarmResponse alarm(AlarmRequest request) {
        return shared(() -> {
            AlarmResponse.Builder r = AlarmResponse.newBuilder().setHeader(revisionHeader());
            AlarmMember changed = switch (request.getAction()) {
                case GET -> {
                    r.addAllAlarms(alarmStore.list(request.getAlarm()));
                    yield null;
                }
                case ACTIVATE -> request.getAlarm() == AlarmType.NONE ? null
                        : alarmStore.activate(request.getMemberID(), request.getAlarm());
                case DEACTIVATE -> alarmStore.deactivate(request.getMemberID(), request.getAlarm());
                case UNRECOGNIZED -> null;
            };
            if (changed != null) {
                r.addAlarms(changed); // the alarm store committed it with the apply position
            } else {
                backend.commit(backend.newBatch());
            }
            return r.build();
        });
    }

    @Override
    public List<AlarmMember> alarms() {
        return shared(() -> alarmStore.list(AlarmType.NONE));
    }

    @Override
    public void defragment() {
        shared(() -> {
            backend.defragment();
        });
    }

    @Override
    public int hash() {
        return shared(() -> backend.hash());
    }

    @Override
    public HashKvResult hashKv(long revision) {
        return shared(() -> etcdErrors(() -> store.hashKv(revision)));
    }

    /** Writes a consistent copy of the committed state to {@code target} (for a snapshot transfer). */
    @Override
    public void checkpoint(Path target) {
        shared(() -> backend.checkpoint(target));
    }

    @Override
    public void close() {
        swap.writeLock().lock();
        try {
            store.close();
            backend.close();
        } finally {
            swap.writeLock().unlock();
        }
    }

    private static byte[] idKey(long id) {
        return String.format("%016x", id).getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T etcdErrors(Supplier<T> op) {
        try {
            return op.get();
        } catch (MvccException e) {
            throw new EtcdException(Status.Code.valueOf(e.grpcCode()), e.getMessage());
        }
    }
}
