package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RaftConfigTest {

  private static RaftConfig.Builder valid() {
    return RaftConfig.builder().id(1).storage(new MemoryStorage()).random(new SplittableRandom(1));
  }

  @Test
  void defaultsFollowEtcd() {
    RaftConfig c = valid().build();
    assertThat(c.electionTick()).isEqualTo(10);
    assertThat(c.heartbeatTick()).isEqualTo(1);
    assertThat(c.maxSizePerMsg()).isEqualTo(1024 * 1024);
    assertThat(c.maxCommittedSizePerReady()).isEqualTo(c.maxSizePerMsg());
    assertThat(c.maxUncommittedEntriesSize()).isEqualTo(RaftConfig.NO_LIMIT);
    assertThat(c.maxInflightMsgs()).isEqualTo(256);
    assertThat(c.checkQuorum()).isTrue();
    assertThat(c.preVote()).isTrue();
    assertThat(c.readOnlyOption()).isEqualTo(ReadOnlyOption.SAFE);
    assertThat(c.toBuilder().build().maxUncommittedEntriesSize()).isEqualTo(RaftConfig.NO_LIMIT);
  }

  @Test
  void invalidConfigurationsAreRejected() {
    assertThatThrownBy(() -> valid().id(0).build()).hasMessageContaining("none as id");
    assertThatThrownBy(() -> valid().storage(null).build()).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> valid().random(null).build()).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> valid().heartbeatTick(0).build()).hasMessageContaining("heartbeat tick");
    assertThatThrownBy(() -> valid().electionTick(1).heartbeatTick(1).build()).hasMessageContaining("election tick");
    assertThatThrownBy(() -> valid().maxInflightMsgs(0).build()).hasMessageContaining("inflight");
    assertThatThrownBy(() -> valid().readOnlyOption(ReadOnlyOption.LEASE_BASED).checkQuorum(false).build())
        .hasMessageContaining("CheckQuorum");
  }
}
