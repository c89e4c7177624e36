package io.etcdj.server.etcdimport;

import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.mvcc.backend.MetaKeys;
import io.etcdj.mvcc.backend.bbolt.BboltBucketCopy;
import io.etcdj.mvcc.backend.bbolt.BboltFile;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.raft.pb.SnapshotMetadata;
import io.etcdj.server.auth.PasswordHasher;
import io.etcdj.server.membership.Member;
import io.etcdj.server.pb.InternalRaftRequest;
import io.etcdj.server.pb.MemberRecord;
import io.etcdj.server.pb.MembershipRecord;
import io.etcdj.server.storage.MvccServerBackend;
import io.etcdj.server.storage.RaftLogStore;
import io.etcdj.server.storage.WalRaftLog;
import io.etcdj.server.v2.replicated.V2StateMachine;
import io.etcdj.server.v2.store.EtcdStoreJson;
import io.etcdj.server.v2.store.V2Store;
import io.etcdj.wal.DataDir;
import io.etcdj.wal.SnapshotMarker;
import io.etcdj.wal.etcd.EtcdSnapFile;
import io.etcdj.wal.etcd.EtcdWal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes, from etcd's member directory (read only), the data dir of ours that continues exactly where etcd
 * left off:
 * <ul>
 *   <li>the backend: every bbolt bucket copied as it is (etcd's encodings are ours) but the membership,
 *       which ours keeps as {@link MemberRecord}s keyed by 16 hex digits, with the cluster ID beside the
 *       cluster version; the consistent index is etcd's (the last entry whose effects the bbolt file
 *       holds) with its term from the WAL;</li>
 *   <li>the WAL: a snapshot at that applied index (its configuration the voters and learners of the members
 *       bucket, its data our membership record, as our snapshots carry), etcd's last HardState, and etcd's
 *       entries after the applied index converted ({@link EtcdEntryConverter}): the committed ones are
 *       applied by our applier at start, which is what recovers a member killed before etcd committed its
 *       backend.</li>
 * </ul>
 * An etcd killed before its backend's first commit (consistent index 0) leaves no membership there either:
 * then there is no snapshot and every entry, the bootstrap conf changes first, is applied by ours, as on a
 * member's first start. Member and cluster IDs come from the WAL's metadata. The v2 store (our backend keeps
 * it, etcd keeps it in its snapshots) is etcd's as of the applied index ({@link #v2StoreAt}).
 */
final class EtcdMemberConversion {
    private static final Logger log = LoggerFactory.getLogger(EtcdMemberConversion.class);
    /** etcd 3.5's record of raft's configuration in the meta bucket: our WAL's snapshot holds it. */
    static final byte[] CONF_STATE = "confState".getBytes(StandardCharsets.UTF_8);
    private static final String[] V2_NAMESPACES = {"/0", "/1"};

    record Result(long memberId, long clusterId, long appliedIndex, int entriesAfterApplied) {}

    /** What the bbolt file says about raft and membership. */
    private record BackendFacts(long consistentIndex, Map<Long, byte[]> members, List<Long> removed) {}

    private EtcdMemberConversion() {}

    static Result convert(Path etcdMember, Path etcdWal, Path stagingRoot, Path stagedWal, int bcryptCost)
            throws IOException {
        Path etcdDb = etcdMember.resolve("snap").resolve("db");
        EtcdSnapFile.Loaded snap = EtcdSnapFile.loadNewest(etcdMember.resolve("snap"));
        for (String skipped : snap.skipped()) {
            log.warn("skipped etcd's snapshot file {}", skipped);
        }
        SnapshotMarker start = snap.snapshot().map(s -> new SnapshotMarker(s.getMetadata().getIndex(),
                s.getMetadata().getTerm())).orElse(SnapshotMarker.ZERO);
        EtcdWal.Contents wal = EtcdWal.read(etcdWal, start);
        wal.tornTail().ifPresent(at -> log.warn("etcd's WAL ends in a torn write at {}: the log ends before it, as etcd"
                + " truncates it", at));
        BackendFacts facts = readFacts(etcdDb);
        long applied = facts.consistentIndex();
        long appliedTerm = termAt(applied, start, wal.entries(), etcdDb);
        MembershipRecord membership = membership(wal.clusterId(), facts);
        if (applied > 0 && membership.getMembersList().stream().noneMatch(m -> m.getId() == wal.memberId())) {
            throw new IOException("etcd's WAL names member " + Long.toHexString(wal.memberId())
                    + ", which is not in the members of its backend " + etcdDb);
        }
        EtcdEntryConverter converter = new EtcdEntryConverter(new PasswordHasher(bcryptCost));
        List<Entry> after = new ArrayList<>();
        for (Entry e : wal.entries()) {
            if (e.getIndex() > applied) {
                after.add(converter.convert(e));
            }
        }
        try (DataDir ours = DataDir.open(stagingRoot, stagedWal)) {
            try (BboltFile db = BboltFile.open(etcdDb); Backend backend = Backend.open(ours.backendPath())) {
                BboltBucketCopy.copy(db, etcdDb, backend, (bucket, key) -> bucket != Bucket.MEMBERS
                        && bucket != Bucket.MEMBERS_REMOVED && !(bucket == Bucket.META && Arrays.equals(key, CONF_STATE)));
            }
            if (applied > 0) {
                MvccServerBackend backend = MvccServerBackend.open(ours.backendPath());
                try {
                    backend.setApplyPosition(applied, appliedTerm);
                    byte[] v2 = v2StoreAt(applied, snap.snapshot().orElse(null), wal.entries(), converter, backend);
                    backend.saveMembership(membership, v2);
                    backend.sync();
                } finally {
                    backend.close();
                }
            }
            try (WalRaftLog log = WalRaftLog.create(ours.walDir(), ours.snapDir(),
                    new RaftLogStore.LogIdentity(wal.memberId(), wal.clusterId()), new WalRaftLog.Options(5, 5, false))) {
                if (applied > 0) {
                    log.saveSnapshot(Snapshot.newBuilder().setData(membership.toByteString())
                            .setMetadata(SnapshotMetadata.newBuilder().setIndex(applied).setTerm(appliedTerm)
                                    .setConfState(confState(membership)))
                            .build());
                }
                log.save(wal.hardState(), after, true);
            }
        }
        return new Result(wal.memberId(), wal.clusterId(), applied, after.size());
    }

    private static BackendFacts readFacts(Path etcdDb) throws IOException {
        long[] consistentIndex = {0};
        Map<Long, byte[]> members = new TreeMap<>(Long::compareUnsigned);
        List<Long> removed = new ArrayList<>();
        try (BboltFile db = BboltFile.open(etcdDb)) {
            db.walk(new BboltFile.Visitor() {
                @Override
                public boolean bucket(List<byte[]> parents, byte[] name) {
                    return parents.isEmpty();
                }

                @Override
                public void entry(List<byte[]> path, byte[] key, byte[] value) throws IOException {
                    if (path.size() != 1) {
                        return;
                    }
                    String bucket = new String(path.get(0), StandardCharsets.UTF_8);
                    if (bucket.equals(Bucket.META.bucketName()) && Arrays.equals(key, MetaKeys.CONSISTENT_INDEX)) {
                        if (value.length != 8) {
                            throw new IOException("etcd's consistent_index in " + etcdDb + " is " + value.length + " bytes long");
                        }
                        consistentIndex[0] = ByteBuffer.wrap(value).getLong();
                    } else if (bucket.equals(Bucket.MEMBERS.bucketName())) {
                        members.put(memberId(key, etcdDb), value);
                    } else if (bucket.equals(Bucket.MEMBERS_REMOVED.bucketName())) {
                        removed.add(memberId(key, etcdDb));
                    }
                }
            });
        }
        return new BackendFacts(consistentIndex[0], members, removed);
    }

    private static long memberId(byte[] key, Path etcdDb) throws IOException {
        try {
            return Long.parseUnsignedLong(new String(key, StandardCharsets.UTF_8), 16);
        } catch (NumberFormatException e) {
            throw new IOException("etcd's members bucket in " + etcdDb + " has a key that is no member ID: "
                    + new String(key, StandardCharsets.UTF_8), e);
        }
    }

    /** The term of the entry at {@code index}: the snapshot's, or the WAL entry's. */
    private static long termAt(long index, SnapshotMarker start, List<Entry> entries, Path etcdDb) throws IOException {
        if (index == start.index()) {
            return start.term();
        }
        if (index > start.index()) {
            for (Entry e : entries) {
                if (e.getIndex() == index) {
                    return e.getTerm();
                }
            }
        }
        throw new IOException("etcd's backend " + etcdDb + " has applied index " + index + ", which its WAL does not"
                + " hold (snapshot at " + start.index() + ", entries up to "
                + (entries.isEmpty() ? start.index() : entries.get(entries.size() - 1).getIndex()) + ")");
    }

    private static MembershipRecord membership(long clusterId, BackendFacts facts) throws IOException {
        MembershipRecord.Builder b = MembershipRecord.newBuilder().setClusterId(clusterId).addAllRemoved(facts.removed());
        for (Map.Entry<Long, byte[]> m : facts.members().entrySet()) {
            b.addMembers(EtcdMemberJson.parse(m.getKey(), m.getValue()));
        }
        return b.build();
    }

    private static ConfState confState(MembershipRecord membership) {
        ConfState.Builder cs = ConfState.newBuilder();
        for (MemberRecord m : membership.getMembersList()) {
            if (m.getIsLearner()) {
                cs.addLearners(m.getId());
            } else {
                cs.addVoters(m.getId());
            }
        }
        return cs.build();
    }

    /**
     * etcd's v2 store as of the applied index: the snapshot's JSON ({@link EtcdStoreJson}), then what the
     * entries after the snapshot up to the applied index did to it (v2 requests, members' publishes, the
     * cluster version, the membership records of conf changes), applied by our v2 state machine as our
     * applier would have. etcd keeps the v2 store only in its snapshots and replays these entries at start.
     */
    private static byte[] v2StoreAt(long applied, Snapshot snapshot, List<Entry> entries, EtcdEntryConverter converter,
                                    MvccServerBackend backend) throws IOException {
        List<String> namespaces = List.of(V2_NAMESPACES);
        try {
            backend.saveV2Store(snapshot == null ? new V2Store(V2_NAMESPACES).save()
                    : EtcdStoreJson.toSnapshot(snapshot.getData().toStringUtf8(), namespaces));
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot import the v2 store of etcd's snapshot at index "
                    + snapshot.getMetadata().getIndex() + ": " + e.getMessage(), e);
        }
        V2StateMachine v2 = new V2StateMachine(backend);
        for (Entry e : entries) {
            if (e.getIndex() > applied) {
                break;
            }
            if (e.getType() == EntryType.EntryConfChange) {
                ConfChange cc = ConfChange.parseFrom(converter.convert(e).getData());
                Member after = cc.getContext().isEmpty() ? null : Member.fromRecord(MemberRecord.parseFrom(cc.getContext()));
                Member before = cc.getType() == ConfChangeType.ConfChangeAddNode
                        || cc.getType() == ConfChangeType.ConfChangeAddLearnerNode ? null : Member.placeholder(cc.getNodeId());
                v2.recordConfChange(cc.getType(), cc.getNodeId(), before, after);
            } else if (e.getType() == EntryType.EntryNormal && !e.getData().isEmpty()
                    && EtcdEntryConverter.isV2Request(e.getData())) {
                InternalRaftRequest r = InternalRaftRequest.parseFrom(converter.convert(e).getData());
                switch (r.getRequestCase()) {
                    case V2 -> v2.apply(r.getV2());
                    case MEMBER_ATTRIBUTES -> v2.recordAttributes(r.getMemberAttributes().getMemberId(),
                            r.getMemberAttributes().getName(), r.getMemberAttributes().getClientUrlsList());
                    case CLUSTER_VERSION_SET -> v2.applyClusterVersion(r.getClusterVersionSet().getVer());
                    default -> throw new IllegalStateException("a v2 request became " + r.getRequestCase());
                }
            }
        }
        return v2.state();
    }
}
