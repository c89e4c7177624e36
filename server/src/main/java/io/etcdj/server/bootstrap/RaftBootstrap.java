package io.etcdj.server.bootstrap;

import io.etcdj.raft.MemoryStorage;
import io.etcdj.raft.Peer;
import io.etcdj.raft.RaftConfig;
import io.etcdj.raft.RawNode;
import io.etcdj.server.MemberSettings;
import io.etcdj.server.config.InitialCluster;
import io.etcdj.server.membership.Member;
import io.etcdj.server.membership.Membership;
import io.etcdj.server.pb.MembersAnswer;
import io.etcdj.server.storage.RaftLogStore;
import io.etcdj.server.storage.ServerBackend;
import io.etcdj.server.storage.WalRaftLog;
import io.etcdj.server.transport.MemberChannels;
import io.etcdj.server.transport.PeerService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Brings up this member's raft state in one of three ways, as etcd does:
 * <ul>
 *   <li><b>restart</b> (the WAL exists): identity from the WAL's metadata, log replayed into a
 *       MemoryStorage, membership from the backend's members schema; the --initial-* flags are
 *       ignored; with --force-new-cluster, the log is first rewritten into a one-member
 *       cluster's ({@link ForcedNewCluster});</li>
 *   <li><b>new cluster</b>: member and cluster IDs from --initial-cluster (etcd's derivation),
 *       a new WAL, and {@code RawNode.bootstrap} with one ConfChangeAddNode per initial member,
 *       each carrying the member's record in its context;</li>
 *   <li><b>join</b> (--initial-cluster-state=existing): the cluster ID and members asked from a
 *       running member's peer port, this member found among them by its peer URLs, an empty log
 *       that the leader fills.</li>
 * </ul>
 */
public final class RaftBootstrap {
    private RaftBootstrap() {}

    /** @param peerChannels opens links to running members' peer URLs (to join an existing cluster) */
    public static BootstrappedRaft run(MemberSettings s, Path walDir, Path snapDir, boolean hasWal,
                                       ServerBackend backend, MemberChannels peerChannels)
            throws IOException {
        if (hasWal) {
            return restart(s, walDir, snapDir, backend);
        }
        return s.newCluster() ? newCluster(s, walDir, snapDir) : join(s, walDir, snapDir, peerChannels);
    }

    private static BootstrappedRaft restart(MemberSettings s, Path walDir, Path snapDir, ServerBackend backend) throws IOException {
        WalRaftLog log = WalRaftLog.open(walDir, snapDir, logOptions(s));
        RaftLogStore.LogIdentity id = log.identity();
        RaftLogStore.RecoveredLog rec = log.recovered();
        if (s.forceNewCluster()) {
            rec = ForcedNewCluster.rewrite(id.memberId(), id.clusterId(), rec, log);
        }
        MemoryStorage storage = new MemoryStorage();
        if (rec.snapshot() != null) {
            finishReceivedSnapshot(rec.snapshot().getMetadata().getIndex(), snapDir, backend);
            storage.applySnapshot(rec.snapshot());
        }
        storage.setHardState(rec.hardState());
        storage.append(rec.entries());
        Membership membership = backend.loadMembership().map(Membership::fromRecord)
                .orElseGet(() -> new Membership(id.clusterId(), List.of(), List.of()));
        long applied = rec.snapshot() == null ? 0 : rec.snapshot().getMetadata().getIndex();
        RawNode node = new RawNode(raftConfig(s, id.memberId(), storage, applied));
        return new BootstrappedRaft(id.memberId(), membership, log, storage, node, applied);
    }

    /**
     * A member that crashed after persisting a snapshot received from the leader, but before its
     * backend was replaced by the one that came with it, holds a backend older than the snapshot:
     * replaying the entries after the snapshot on it would silently lose the ones in between (found
     * by the robustness suite's crash at applyBeforeOpenSnapshot). The replacement is finished here
     * from the received backend, as etcd opens the snapshot's .snap.db at start; without it the
     * member refuses to start.
     */
    static void finishReceivedSnapshot(long snapshotIndex, Path snapDir, ServerBackend backend) throws IOException {
        long backendIndex = backend.consistentIndex();
        if (backendIndex >= snapshotIndex) {
            return;
        }
        Path received = PeerService.receivedCheckpoint(snapDir, snapshotIndex);
        if (!Files.isDirectory(received)) {
            throw new IOException("the backend (at index " + backendIndex + ") is older than the snapshot at index "
                    + snapshotIndex + " and the backend received with it (" + received + ") is missing");
        }
        backend.restoreFrom(received);
        if (backend.consistentIndex() < snapshotIndex) {
            throw new IOException("the backend received with the snapshot at index " + snapshotIndex
                    + " is at index " + backend.consistentIndex());
        }
    }

    private static BootstrappedRaft newCluster(MemberSettings s, Path walDir, Path snapDir) throws IOException {
        InitialCluster ic = s.initialCluster();
        InitialCluster.Member self = ic.member(s.name()).orElseThrow(() -> new IOException(
                "couldn't find local name \"" + s.name() + "\" in the initial cluster configuration"));
        List<Member> members = new ArrayList<>();
        List<Peer> peers = new ArrayList<>();
        for (InitialCluster.Member m : ic.members()) {
            Member member = new Member(m.id(), m.name(), m.peerUrlStrings(), List.of(), false);
            members.add(member);
            peers.add(new Peer(m.id(), member.toRecord().toByteString()));
        }
        Membership membership = new Membership(ic.clusterId(), members, List.of());
        WalRaftLog log = WalRaftLog.create(walDir, snapDir, new RaftLogStore.LogIdentity(self.id(), ic.clusterId()),
                logOptions(s));
        MemoryStorage storage = new MemoryStorage();
        RawNode node = new RawNode(raftConfig(s, self.id(), storage, 0));
        node.bootstrap(peers);
        return new BootstrappedRaft(self.id(), membership, log, storage, node, 0);
    }

    private static BootstrappedRaft join(MemberSettings s, Path walDir, Path snapDir,
                                         MemberChannels peerChannels) throws IOException {
        List<String> others = new ArrayList<>();
        for (InitialCluster.Member m : s.initialCluster().members()) {
            if (!m.name().equals(s.name())) {
                others.addAll(m.peerUrlStrings());
            }
        }
        MembersAnswer answer = MembersClient.fetch(others, peerChannels);
        Membership membership = new Membership(answer.getClusterId(),
                answer.getMembersList().stream().map(Member::fromRecord).toList(), List.of());
        Member self = membership.members().stream()
                .filter(m -> m.peerUrls().stream().anyMatch(s.advertisePeerUrls()::contains))
                .findFirst().orElseThrow(() -> new IOException(
                        "member with peer URLs " + s.advertisePeerUrls() + " is not in the cluster; add it first"));
        WalRaftLog log = WalRaftLog.create(walDir, snapDir,
                new RaftLogStore.LogIdentity(self.id(), answer.getClusterId()), logOptions(s));
        MemoryStorage storage = new MemoryStorage();
        RawNode node = new RawNode(raftConfig(s, self.id(), storage, 0));
        return new BootstrappedRaft(self.id(), membership, log, storage, node, 0);
    }

    private static WalRaftLog.Options logOptions(MemberSettings s) {
        return new WalRaftLog.Options(s.maxWals(), s.maxSnapshots(), s.unsafeNoFsync());
    }

    static RaftConfig raftConfig(MemberSettings s, long id, MemoryStorage storage, long applied) {
        return RaftConfig.builder()
                .id(id)
                .storage(storage)
                .electionTick(s.electionTicks())
                .heartbeatTick(1)
                .applied(applied)
                .maxSizePerMsg(1024 * 1024)
                .maxInflightMsgs(512)
                .maxUncommittedEntriesSize(1L << 30)
                .checkQuorum(true)
                .preVote(s.preVote())
                .random(new SplittableRandom(id ^ System.nanoTime()))
                .build();
    }
}
