package io.etcdj.server.etcdimport;

import io.etcdj.mvcc.backend.Backend;
import io.etcdj.mvcc.backend.Bucket;
import io.etcdj.mvcc.backend.MetaKeys;
import io.etcdj.mvcc.backend.bbolt.BboltBucketCopy;
import io.etcdj.mvcc.backend.bbolt.BboltFile;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.raft.pb.SnapshotMetadata;
import io.etcdj.server.auth.PasswordHasher;
import io.etcdj.server.pb.MemberRecord;
import io.etcdj.server.pb.MembershipRecord;
import io.etcdj.server.storage.MvccServerBackend;
import io.etcdj.server.storage.RaftLogStore;
import io.etcdj.server.storage.WalRaftLog;
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
 * member's first start. Member and cluster IDs come from the WAL's metadata. etcd's v2 store is not imported (its keys and the
 * v2 writes up to the applied index are counted and named in a warning); v2 writes after the applied index
 * are applied like the rest.
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
        warnAboutV2(snap, wal.entries(), applied, etcdMember);
        try (DataDir ours = DataDir.open(stagingRoot, stagedWal)) {
            try (BboltFile db = BboltFile.open(etcdDb); Backend backend = Backend.open(ours.backendPath())) {
                BboltBucketCopy.copy(db, etcdDb, backend, (bucket, key) -> bucket != Bucket.MEMBERS
                        && bucket != Bucket.MEMBERS_REMOVED && !(bucket == Bucket.META && Arrays.equals(key, CONF_STATE)));
            }
            if (applied > 0) {
                MvccServerBackend backend = MvccServerBackend.open(ours.backendPath());
                try {
                    backend.setApplyPosition(applied, appliedTerm);
                    backend.saveMembership(membership, new V2Store(V2_NAMESPACES).save());
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

    /** etcd's v2 store is left behind: says how much of it, when there is any. */
    private static void warnAboutV2(EtcdSnapFile.Loaded snap, List<Entry> entries, long applied, Path etcdMember)
            throws IOException {
        long keys = snap.snapshot().map(s -> EtcdV2Keys.countKeys(s.getData().toStringUtf8())).orElse(0L);
        long writes = 0;
        for (Entry e : entries) {
            if (e.getIndex() <= applied && EtcdV2Keys.isKeyWrite(e)) {
                writes++;
            }
        }
        if (keys + writes > 0) {
            log.warn("etcd's v2 store (--enable-v2 keys) is NOT imported: {} v2 keys of its snapshot and {} v2 writes"
                    + " after it are left behind in {}", keys, writes, EtcdDataDirImport.sibling(etcdMember,
                    EtcdDataDirImport.BACKUP_SUFFIX));
        }
    }
}
