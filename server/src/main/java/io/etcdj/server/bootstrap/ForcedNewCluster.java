package io.etcdj.server.bootstrap;

import com.google.protobuf.InvalidProtocolBufferException;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.HardState;
import io.etcdj.server.membership.Member;
import io.etcdj.server.pb.MemberRecord;
import io.etcdj.server.storage.RaftLogStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --force-new-cluster} on a restart, as etcd does it: the recovered log is cut at its commit
 * index (later entries may never have reached a quorum), then conf changes removing every other
 * voter and learner are appended and marked committed by this member alone, and saved to the WAL
 * before raft starts. Applied like any committed conf change, they leave a one-member cluster that
 * holds everything this member had committed; the removed members' records go the usual way.
 *
 * <p>A member whose own ID is not in that configuration (a data dir made by {@code backup}, which
 * gives it a new ID) is first added with etcd's placeholder peer URL {@value Member#PLACEHOLDER_PEER_URL},
 * as etcd does: raft refuses a configuration without voters, so the addition comes before the removals.
 */
final class ForcedNewCluster {
    private static final Logger log = LoggerFactory.getLogger(ForcedNewCluster.class);

    private ForcedNewCluster() {
    }

    /** Rewrites {@code rec} for member {@code selfId}, saving the new entries to {@code store}. */
    static RaftLogStore.RecoveredLog rewrite(long selfId, long clusterId, RaftLogStore.RecoveredLog rec,
                                             RaftLogStore store) throws IOException {
        HardState hs = rec.hardState();
        List<Entry> committed = new ArrayList<>();
        for (Entry e : rec.entries()) {
            if (e.getIndex() <= hs.getCommit()) {
                committed.add(e);
            }
        }
        if (committed.size() < rec.entries().size()) {
            log.info("discarding uncommitted WAL entries: {} entries after commit index {}",
                    rec.entries().size() - committed.size(), hs.getCommit());
        }
        TreeSet<Long> others = members(rec, committed);
        boolean selfKnown = others.remove(selfId);
        long index = committed.isEmpty()
                ? (rec.snapshot() == null ? 0 : rec.snapshot().getMetadata().getIndex())
                : committed.get(committed.size() - 1).getIndex();
        index = Math.max(index, hs.getCommit());
        List<Entry> changes = new ArrayList<>();
        if (!selfKnown) {
            MemberRecord self = Member.placeholder(selfId).toRecord();
            changes.add(confEntry(ConfChange.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(selfId)
                    .setContext(self.toByteString()).build(), hs.getTerm(), ++index));
        }
        for (long id : others) {
            changes.add(confEntry(ConfChange.newBuilder().setType(ConfChangeType.ConfChangeRemoveNode).setNodeId(id)
                    .build(), hs.getTerm(), ++index));
        }
        HardState forced = hs.toBuilder().setCommit(index).build();
        store.save(forced, changes, true);
        log.info("forcing restart of member {} in cluster {} at commit index {}", Long.toHexString(selfId),
                Long.toHexString(clusterId), forced.getCommit());
        List<Entry> entries = new ArrayList<>(committed);
        entries.addAll(changes);
        return new RaftLogStore.RecoveredLog(rec.snapshot(), forced, entries);
    }

    /** Every voter and learner as of the snapshot and the committed conf changes after it (etcd's getIDs). */
    private static TreeSet<Long> members(RaftLogStore.RecoveredLog rec, List<Entry> committed) throws IOException {
        TreeSet<Long> ids = new TreeSet<>();
        if (rec.snapshot() != null) {
            ids.addAll(rec.snapshot().getMetadata().getConfState().getVotersList());
            ids.addAll(rec.snapshot().getMetadata().getConfState().getLearnersList());
        }
        for (Entry e : committed) {
            if (e.getType() != EntryType.EntryConfChange) {
                continue;
            }
            ConfChange cc;
            try {
                cc = ConfChange.parseFrom(e.getData());
            } catch (InvalidProtocolBufferException bad) {
                throw new IOException("conf change entry " + e.getIndex() + " is corrupt", bad);
            }
            switch (cc.getType()) {
                case ConfChangeAddNode, ConfChangeAddLearnerNode -> ids.add(cc.getNodeId());
                case ConfChangeRemoveNode -> ids.remove(cc.getNodeId());
                default -> { }
            }
        }
        return ids;
    }

    private static Entry confEntry(ConfChange cc, long term, long index) {
        return Entry.newBuilder().setType(EntryType.EntryConfChange).setTerm(term).setIndex(index)
                .setData(cc.toByteString()).build();
    }
}
