package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.ConfChange;
import io.etcdj.raft.pb.EntryType;
import io.etcdj.raft.pb.HardState;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Ready / advance contract between RawNode and the application. */
class ReadyContractTest {

  private static Network elected() {
    Network net = Network.voters(1, 2, 3);
    net.campaign(1);
    net.stabilize();
    net.takeTrace();
    return net;
  }

  @Test
  void theLeadersAppendsMayLeaveBeforeItsOwnWriteIsDurable() {
    Network net = elected();
    net.propose(1, "x");
    Ready rd = net.node(1).ready();
    assertThat(rd.entries()).hasSize(1);
    assertThat(rd.mustSync()).isTrue();
    assertThat(rd.messages()).extracting(Message::getType).containsOnly(MessageType.MsgApp).hasSize(2);
    assertThat(rd.messagesAfterPersist()).isEmpty();
  }

  @Test
  void aFollowersAcksWaitForPersistence() {
    Network net = elected();
    net.propose(1, "x");
    net.process(1);
    net.deliverAll();
    Ready rd = net.node(2).ready();
    assertThat(rd.entries()).extracting(Describe::entry).containsExactly("2/3 EntryNormal \"x\"");
    assertThat(rd.messages()).isEmpty();
    assertThat(rd.messagesAfterPersist()).extracting(Describe::message).containsExactly("2->1 MsgAppResp term=2 index=3");
  }

  @Test
  void withoutItsOwnDurableCopyTheLeaderNeedsOneMoreFollower() {
    Network net = Network.voters(1, 2, 3, 4, 5);
    net.campaign(1);
    net.stabilize();
    net.crash(4);
    net.crash(5);
    net.propose(1, "x");
    Ready leaderRd = net.node(1).ready();
    net.queue.addAll(leaderRd.messages());
    net.deliverAll();
    net.process(2);
    net.process(3);
    net.deliverAll(); // 2 and 3 acked index 3: with the leader that would be 3 of 5
    assertThat(net.committed(1)).isEqualTo(2);
    net.persist(1, leaderRd);
    net.node(1).advance(leaderRd);
    assertThat(net.committed(1)).as("now durable on 1, 2 and 3").isEqualTo(3);
  }

  @Test
  void committedEntriesAreOnlyHandedOutOnceDurableLocally() {
    Network net = elected();
    net.propose(1, "x");
    net.process(1);
    net.deliverAll();
    net.process(2);
    net.process(3);
    net.deliverAll();
    net.process(1); // commit 3 goes out
    net.deliverAll();
    // 2 learns commit=3 for an entry it already persisted: apply it
    Ready rd = net.node(2).ready();
    assertThat(rd.committedEntries()).extracting(Describe::entry).containsExactly("2/3 EntryNormal \"x\"");
  }

  @Test
  void aFollowerLearningEntriesAndCommitTogetherAppliesThemAfterPersisting() {
    Network n2 = elected();
    n2.isolate(3);
    n2.propose(1, "y");
    n2.stabilize();
    n2.heal();
    n2.tickAll();
    Ready rd = null;
    for (int i = 0; i < 20 && rd == null; i++) {
      n2.process(1);
      n2.process(2);
      n2.deliverAll();
      if (n2.node(3).hasReady()) {
        Ready r = n2.node(3).ready();
        if (!r.entries().isEmpty()) {
          rd = r; // the append carrying the missing entry and commit=3
        } else {
          n2.persist(3, r);
          n2.queue.addAll(r.messages());
          n2.queue.addAll(r.messagesAfterPersist());
          n2.node(3).advance(r);
        }
      }
    }
    assertThat(rd).isNotNull();
    assertThat(rd.entries()).extracting(Describe::entry).containsExactly("2/3 EntryNormal \"y\"");
    assertThat(rd.hardState().getCommit()).isEqualTo(3);
    assertThat(rd.committedEntries()).as("not durable yet").isEmpty();
    n2.persist(3, rd);
    n2.node(3).advance(rd);
    assertThat(n2.node(3).ready().committedEntries()).extracting(Describe::entry)
        .containsExactly("2/3 EntryNormal \"y\"");
  }

  @Test
  void committedEntriesAreHandedOutInBatchesOfMaxCommittedSizePerReady() {
    Network net = Network.builder().voters(1).configure(b -> b.maxCommittedSizePerReady(1)).build();
    net.campaign(1);
    net.stabilize();
    net.propose(1, "a");
    net.propose(1, "b");
    net.propose(1, "c");
    Ready rd = net.node(1).ready();
    net.persist(1, rd);
    net.node(1).advance(rd); // durable: a, b, c commit at once
    for (String expected : List.of("a", "b", "c")) {
      Ready next = net.node(1).ready();
      assertThat(next.committedEntries()).extracting(e -> e.getData().toStringUtf8()).containsExactly(expected);
      net.node(1).advance(next);
    }
    assertThat(net.node(1).hasReady()).isFalse();
  }

  @Test
  void unchangedStateIsNotRepeated() {
    Network net = elected();
    assertThat(net.node(1).hasReady()).isFalse();
    net.propose(1, "x");
    Ready rd = net.node(1).ready();
    assertThat(rd.softState()).isNull();
    assertThat(rd.hardState()).isNull();
    assertThat(rd.mustSync()).isTrue();
  }

  @Test
  void aHeartbeatCommitChangeDoesNotNeedAnFsync() {
    Network net = elected();
    net.propose(1, "x");
    net.process(1);
    net.deliverAll();
    net.process(2);
    net.process(3);
    net.deliverAll();
    net.process(1);
    net.deliverAll();
    Ready rd = net.node(2).ready();
    assertThat(rd.hardState().getCommit()).isEqualTo(3);
    assertThat(rd.entries()).isEmpty();
    assertThat(rd.mustSync()).isFalse();
  }

  @Test
  void bootstrapCommitsOneAddNodeEntryPerPeer() {
    MemoryStorage st = new MemoryStorage();
    RawNode n = new RawNode(RaftConfig.builder().id(1).storage(st).random(new SplittableRandom(1)).build());
    n.bootstrap(List.of(Peer.of(1), Peer.of(2), Peer.of(3)));
    Ready rd = n.ready();
    assertThat(rd.entries()).extracting(Describe::entry).containsExactly(
        "1/1 EntryConfChange AddNode 1", "1/2 EntryConfChange AddNode 2", "1/3 EntryConfChange AddNode 3");
    assertThat(rd.hardState()).isEqualTo(HardState.newBuilder().setTerm(1).setCommit(3).build());
    assertThat(rd.committedEntries()).isEmpty();
    st.append(rd.entries());
    st.setHardState(rd.hardState());
    n.advance(rd);
    Ready next = n.ready();
    assertThat(next.committedEntries()).hasSize(3).allMatch(e -> e.getType() == EntryType.EntryConfChange);
    for (var e : next.committedEntries()) {
      try {
        n.applyConfChange(ConfChange.parseFrom(e.getData()));
      } catch (Exception ex) {
        throw new AssertionError(ex);
      }
    }
    n.advance(next);
    assertThat(n.status().config().getVotersList()).containsExactly(1L, 2L, 3L);
    assertThat(n.status().applied()).isEqualTo(3);
    assertThatThrownBy(() -> n.bootstrap(List.of(Peer.of(1)))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aRestartedMemberDoesNotRepeatItsPersistedHardState() {
    Network net = elected();
    net.crash(2);
    net.restart(2);
    Ready rd = net.node(2).ready();
    assertThat(rd.hardState()).isNull();
    assertThat(rd.entries()).isEmpty();
    assertThat(net.term(2)).isEqualTo(2);
    assertThat(net.raft(2).vote).isEqualTo(1);
  }

  @Test
  void localMessageTypesFromTheNetworkAreRejected() {
    Network net = elected();
    assertThatThrownBy(() -> net.node(2).step(Message.newBuilder().setType(MessageType.MsgHup).setFrom(1).build()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("raft: cannot step raft local message");
    // malformed requests from the network are ignored
    net.node(1).step(Message.newBuilder().setType(MessageType.MsgProp).setFrom(2).setTo(1).build());
    net.node(1).step(Message.newBuilder().setType(MessageType.MsgReadIndex).setFrom(2).setTo(1).build());
    // a response from a stranger is ignored
    net.node(1).step(Message.newBuilder().setType(MessageType.MsgAppResp).setFrom(9).setTo(1).setTerm(2).build());
    assertThat(net.node(1).hasReady()).isFalse();
  }

  @Test
  void statusReportsProgressOnlyOnTheLeader() {
    Network net = elected();
    Status leader = net.node(1).status();
    assertThat(leader.softState()).isEqualTo(new SoftState(1, StateRole.LEADER));
    assertThat(leader.progress()).containsOnlyKeys(1L, 2L, 3L);
    assertThat(leader.progress().get(2L).match()).isEqualTo(2);
    assertThat(leader.applied()).isEqualTo(2);
    assertThat(net.node(2).status().progress()).isEmpty();
    assertThat(net.node(2).status().softState()).isEqualTo(new SoftState(1, StateRole.FOLLOWER));
  }

  @Test
  void readStatesAreHandedOutOnce() {
    Network net = elected();
    net.readIndex(1, "r");
    net.stabilize();
    assertThat(net.readStates.get(1L)).hasSize(1);
    assertThat(net.readStates.get(1L).get(0).requestCtx()).isEqualTo(ByteString.copyFromUtf8("r"));
    net.stabilize();
    assertThat(net.readStates.get(1L)).hasSize(1);
  }
}
