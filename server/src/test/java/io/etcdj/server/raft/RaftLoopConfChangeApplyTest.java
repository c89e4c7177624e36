package io.etcdj.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.MemoryStorage;
import io.etcdj.raft.RaftConfig;
import io.etcdj.raft.RawNode;
import io.etcdj.raft.StateRole;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.ConfChangeType;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.HardState;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.server.apply.AppliedIndex;
import io.etcdj.server.storage.RaftLogStore;
import io.etcdj.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member restarted without a snapshot rebuilds its configuration by re-applying the bootstrap
 * conf changes of its log, one at a time. Between the first and the second it is the only voter
 * it knows: were raft's applied index already past them, it would campaign and win alone, and
 * lead a term another member also leads (seen in the robustness suite's kill-the-leader scenario).
 */
class RaftLoopConfChangeApplyTest {
    private static final long SELF = 1;
    private static final int ELECTION_TICKS = 10;

    private final List<Message> sent = new CopyOnWriteArrayList<>();
    private final LinkedBlockingQueue<CommittedBatch> handedToApplier = new LinkedBlockingQueue<>();
    private final AppliedIndex applied = new AppliedIndex(0);
    private final AtomicInteger ticks = new AtomicInteger();
    private final List<StateRole> rolesSeen = new CopyOnWriteArrayList<>();
    private RaftLoop loop;

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.stop();
        }
    }

    @Test
    void aRestartedMemberNeverCampaignsWhileItsBootstrapConfChangesAreHalfApplied() throws Exception {
        loop = restartedMemberWithBootstrapLog(3);
        loop.start();

        CommittedBatch batch = handedToApplier.poll(10, TimeUnit.SECONDS);
        assertThat(batch).as("the committed bootstrap entries reach the applier").isNotNull();
        assertThat(batch.entries()).extracting(Entry::getIndex).containsExactly(1L, 2L, 3L);

        loop.applyConfChange(ConfChange.parseFrom(batch.entries().get(0).getData())).join();
        int after = ticks.get();
        Await.until(Duration.ofSeconds(10), "three election timeouts pass with one voter applied",
                () -> ticks.get() - after >= 3 * ELECTION_TICKS);
        assertThat(loop.view().role()).isEqualTo(StateRole.FOLLOWER);
        assertThat(loop.call(n -> n.status().hardState().getTerm()).join()).isEqualTo(1);
        assertThat(sent).as("no vote asked of anyone").isEmpty();

        loop.applyConfChange(ConfChange.parseFrom(batch.entries().get(1).getData())).join();
        loop.applyConfChange(ConfChange.parseFrom(batch.entries().get(2).getData())).join();
        assertThat(loop.call(n -> n.status().applied()).join())
                .as("raft counts the conf changes applied as soon as the last is, before the applier's batch ends")
                .isEqualTo(3);

        Await.until(Duration.ofSeconds(10), "the member asks its two peers for pre-votes",
                () -> sent.stream().filter(m -> m.getType() == MessageType.MsgPreVote).map(Message::getTo)
                        .distinct().count() == 2);
        assertThat(rolesSeen).doesNotContain(StateRole.LEADER, StateRole.CANDIDATE);
    }

    @Test
    void anAwaitedReadyIsAdvancedOnceTheAppliedIndexPassesItsConfChangesEvenIfOneNeverReachedTheNode()
            throws Exception {
        loop = restartedMemberWithBootstrapLog(3);
        loop.start();
        CommittedBatch batch = handedToApplier.poll(10, TimeUnit.SECONDS);
        loop.applyConfChange(ConfChange.parseFrom(batch.entries().get(0).getData())).join();
        assertThat(loop.call(n -> n.status().applied()).join()).isZero();

        applied.advanceTo(3);
        Await.until(Duration.ofSeconds(10), "raft counts entry 3 applied",
                () -> loop.call(n -> n.status().applied()).join() == 3);
    }

    @Test
    void aReadyWithoutConfChangesIsAdvancedWithoutWaitingForTheApplier() throws Exception {
        loop = restartedMemberWithBootstrapLog(3);
        loop.start();
        CommittedBatch batch = handedToApplier.poll(10, TimeUnit.SECONDS);
        for (Entry e : batch.entries()) {
            loop.applyConfChange(ConfChange.parseFrom(e.getData())).join();
        }
        applied.advanceTo(3);
        Await.until(Duration.ofSeconds(10), "the configuration is complete",
                () -> loop.call(n -> n.status().config().getVotersCount()).join() == 3);

        // A leader's heartbeat response commits nothing new: a follower's Ready carries no
        // committed entries, so nothing waits; an append of a normal entry is applied-through later.
        Entry normal = Entry.newBuilder().setTerm(1).setIndex(4).setType(EntryType.EntryNormal).build();
        loop.step(Message.newBuilder().setType(MessageType.MsgApp).setFrom(2).setTo(SELF).setTerm(2)
                .setLogTerm(1).setIndex(3).setCommit(4).addEntries(normal).build());
        CommittedBatch next = handedToApplier.poll(10, TimeUnit.SECONDS);
        assertThat(next.entries()).extracting(Entry::getIndex).containsExactly(4L);
        Await.until(Duration.ofSeconds(10), "raft counts entry 4 applied without the applier's word",
                () -> loop.call(n -> n.status().applied()).join() == 4);
        assertThat(applied.get()).isEqualTo(3);
    }

    /** A member of {@code voters} whose WAL holds only the committed bootstrap conf changes. */
    private RaftLoop restartedMemberWithBootstrapLog(int voters) {
        MemoryStorage storage = new MemoryStorage();
        List<Entry> log = new ArrayList<>();
        for (long id = 1; id <= voters; id++) {
            ConfChange cc = ConfChange.newBuilder().setType(ConfChangeType.ConfChangeAddNode).setNodeId(id).build();
            log.add(Entry.newBuilder().setTerm(1).setIndex(id).setType(EntryType.EntryConfChange)
                    .setData(cc.toByteString()).build());
        }
        storage.append(log);
        storage.setHardState(HardState.newBuilder().setTerm(1).setCommit(voters).build());
        RawNode node = new RawNode(RaftConfig.builder().id(SELF).storage(storage)
                .electionTick(ELECTION_TICKS).heartbeatTick(1).applied(0)
                .maxSizePerMsg(1 << 20).maxInflightMsgs(256).maxUncommittedEntriesSize(1L << 30)
                .checkQuorum(true).preVote(true).random(new SplittableRandom(7)).build());
        RaftLoop raftLoop = new RaftLoop(SELF, node, storage, new DiscardingLogStore(), sent::addAll,
                handedToApplier::add, applied::await, 1, t -> { });
        raftLoop.addListener(new RaftListener() {
            @Override
            public void onTick() {
                ticks.incrementAndGet();
                rolesSeen.add(raftLoop.view().role());
            }
        });
        return raftLoop;
    }

    /** The durable log is not what this test is about. */
    private static final class DiscardingLogStore implements RaftLogStore {
        @Override
        public LogIdentity identity() {
            return new LogIdentity(SELF, 1);
        }

        @Override
        public RecoveredLog recovered() {
            return new RecoveredLog(null, HardState.getDefaultInstance(), List.of());
        }

        @Override
        public void save(HardState hardState, List<Entry> entries, boolean sync) {}

        @Override
        public void saveSnapshot(Snapshot snapshot) {}

        @Override
        public void releaseBefore(long snapshotIndex) {}

        @Override
        public void close() {}
    }
}
