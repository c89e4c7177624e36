package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.pb.MessageType;
import org.junit.jupiter.api.Test;

/** A follower behind the leader's first index catches up through a snapshot. */
class SnapshotCatchUpTest {

  private static Network laggingFollowerAfterCompaction() {
    Network net = Network.voters(1, 2, 3);
    net.campaign(1);
    net.stabilize();
    net.isolate(3);
    for (int i = 0; i < 5; i++) {
      net.propose(1, "e" + i);
    }
    net.stabilize();
    net.compact(1, net.raft(1).log.applied()); // index 7: 3 only holds up to 2
    assertThat(net.storages.get(1L).firstIndex()).isEqualTo(8);
    net.takeTrace();
    return net;
  }

  @Test
  void aFollowerBehindTheFirstIndexReceivesASnapshotThenTheLog() {
    Network net = laggingFollowerAfterCompaction();
    net.heal();
    net.propose(1, "after");
    net.tickAndStabilize(2);
    assertThat(net.takeTrace()).contains("1->3 MsgSnap term=2 snap=2/7 voters=[1, 2, 3]", "3->1 MsgAppResp term=2 index=7");
    assertThat(net.applied(3)).containsExactly("e0", "e1", "e2", "e3", "e4", "after");
    assertThat(net.storages.get(3L).firstIndex()).isEqualTo(8);
    assertThat(net.node(1).status().progress().get(3L).state()).isEqualTo(ProgressState.REPLICATE);
  }

  @Test
  void noOtherAppendsWhileTheSnapshotIsInFlight() {
    Network net = laggingFollowerAfterCompaction();
    net.heal();
    net.holdIf(m -> m.getType() == MessageType.MsgSnap); // in flight until the test says
    net.tickAndStabilize(1);
    assertThat(net.held).hasSize(1);
    assertThat(net.node(1).status().progress().get(3L).state()).isEqualTo(ProgressState.SNAPSHOT);
    net.takeTrace();
    net.propose(1, "more");
    net.tickAndStabilize(3);
    assertThat(net.takeTrace()).noneMatch(l -> l.startsWith("1->3 MsgApp") || l.startsWith("1->3 MsgSnap"));

    net.node(1).reportSnapshot(3, SnapshotStatus.FAILURE); // the transport gave up
    assertThat(net.node(1).status().progress().get(3L).state()).isEqualTo(ProgressState.PROBE);
    net.heal();
    net.tickAndStabilize(3);
    assertThat(net.applied(3)).containsExactly("e0", "e1", "e2", "e3", "e4", "more");
  }

  @Test
  void aSnapshotIsOnlySentToARecentlyActiveFollower() {
    Network net = laggingFollowerAfterCompaction();
    net.tickAndStabilize(20); // two check-quorum intervals without hearing from 3
    assertThat(net.node(1).status().progress().get(3L).recentActive()).isFalse();
    net.raft(1).tracker.progress(3).becomeProbe();
    Replicator.sendAppend(net.raft(1), 3);
    assertThat(net.queued()).noneMatch(l -> l.contains("MsgSnap"));
  }

  @Test
  void aRestartedMemberRecoversFromItsSnapshotAndLog() {
    Network net = laggingFollowerAfterCompaction();
    net.propose(1, "tail");
    net.stabilize();
    net.crash(1);
    net.restart(1);
    assertThat(net.committed(1)).isEqualTo(8);
    net.stabilize();
    assertThat(net.applied(1)).containsExactly("e0", "e1", "e2", "e3", "e4", "tail");
  }
}
