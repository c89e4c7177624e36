package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.Message;
import io.etcdj.raft.pb.MessageType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The scenarios of Figures 7 and 8 of the Raft paper. Index 1 is the (compacted) first entry of
 * every log, at term 1; the builder's log(...) lists the terms from index 2 on.
 */
class PaperFiguresTest {

  /**
   * Figure 7: a leader of term 8 whose followers (a)-(f) are missing entries, hold extra
   * uncommitted entries, or both. The leader brings each follower's log in line with its own,
   * and the fast back-off (reject hint + log term) needs at most two probes per follower.
   */
  @Test
  void figure7_leaderBringsDivergentFollowersIntoLine() {
    Network net = Network.builder()
        .voters(1, 2, 3, 4, 5, 6, 7)
        .log(1, 1, 1, 4, 4, 5, 5, 6, 6, 6)          // leader
        .log(2, 1, 1, 4, 4, 5, 5, 6, 6)             // (a) missing one entry
        .log(3, 1, 1, 4)                            // (b) missing many
        .log(4, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6)       // (c) one extra uncommitted entry
        .log(5, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7)    // (d) two extra entries of term 7
        .log(6, 1, 1, 4, 4, 4, 4)                   // (e) missing and extra
        .log(7, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3)       // (f) a term-2/3 leader's uncommitted tail
        .term(1, 7).term(2, 7).term(3, 7).term(4, 7).term(5, 7).term(6, 7).term(7, 7)
        .build();

    net.campaign(1);
    net.stabilize();

    assertThat(net.role(1)).isEqualTo(StateRole.LEADER);
    assertThat(net.term(1)).isEqualTo(8);
    List<String> leaderLog = net.log(1);
    assertThat(leaderLog).hasSize(10).last().isEqualTo("8/11 EntryNormal");
    List<String> trace = net.takeTrace();
    for (long f = 2; f <= 7; f++) {
      assertThat(net.log(f)).as("log of member %d", f).isEqualTo(leaderLog);
      assertThat(net.committed(f)).isEqualTo(11);
      String rejections = f + "->1 MsgAppResp term=8 index=";
      long count = trace.stream().filter(l -> l.startsWith(rejections) && l.contains("reject")).count();
      assertThat(count).as("probes rejected by %d", f).isLessThanOrEqualTo(2);
    }
    // (f) jumps straight back from index 10 to its last term-1 entry at 3 with one hint
    assertThat(trace).contains("7->1 MsgAppResp term=8 index=10 reject hint=10 hintTerm=3");
    assertThat(trace).contains("1->7 MsgApp term=8 logTerm=1 index=3 commit=1 entries=[4/4 EntryNormal, "
        + "4/5 EntryNormal, 5/6 EntryNormal, 5/7 EntryNormal, 6/8 EntryNormal, 6/9 EntryNormal, "
        + "6/10 EntryNormal, 8/11 EntryNormal]");
  }

  /**
   * Figure 8: S1 leads term 4 and replicates its term-2 entry at index 2 to a majority, but
   * must NOT commit it by counting replicas, because S5 (with a term-3 entry at index 2) can
   * still be elected and overwrite it. Only an entry of the current term commits by counting.
   */
  @Test
  void figure8_oldTermEntryIsNotCommittedByCounting() {
    Network net = Network.builder()
        .voters(1, 2, 3, 4, 5)
        .log(1, 2)    // S1: term-2 entry at index 2, replicated nowhere yet
        .log(5, 3)    // S5: term-3 entry at index 2
        .term(1, 3).term(2, 3).term(3, 3).term(4, 3).term(5, 3)
        .configure(b -> b.preVote(false).checkQuorum(false).maxSizePerMsg(1))
        .build();
    net.isolate(5); // S5 is down during (c)
    // S1's own term-4 entry (its empty entry at index 3) reaches nobody who could accept it:
    // once a member acknowledged index 2, appends carrying term-4 entries to it are lost.
    Set<Long> hold2 = new HashSet<>();
    net.dropIf(m -> {
      if (m.getType() == MessageType.MsgAppResp && !m.getReject() && m.getIndex() == 2) {
        hold2.add(m.getFrom());
      }
      return m.getType() == MessageType.MsgApp && hold2.contains(m.getTo()) && carries(m, 4);
    });

    net.campaign(1);
    net.stabilize();
    assertThat(net.role(1)).isEqualTo(StateRole.LEADER);
    assertThat(net.term(1)).isEqualTo(4);
    for (long s = 2; s <= 4; s++) {
      assertThat(net.log(s)).containsExactly("2/2 EntryNormal"); // a majority holds 2/2 ...
    }
    assertThat(net.raft(1).tracker.committed()).isEqualTo(2);
    assertThat(net.committed(1)).as("... but it is not committed").isEqualTo(1);

    // (d) S1 crashes; S5 is elected by S2, S3, S4 and replaces 2/2 everywhere.
    net.crash(1);
    net.heal();
    for (int attempt = 0; attempt < 3 && net.role(5) != StateRole.LEADER; attempt++) {
      net.campaign(5);
      net.stabilize();
    }
    assertThat(net.role(5)).isEqualTo(StateRole.LEADER);
    for (long s = 2; s <= 5; s++) {
      assertThat(net.log(s).get(0)).isEqualTo("3/2 EntryNormal");
      assertThat(net.committed(s)).isGreaterThanOrEqualTo(2);
    }
  }

  private static boolean carries(Message m, long term) {
    for (Entry e : m.getEntriesList()) {
      if (e.getTerm() == term) {
        return true;
      }
    }
    return false;
  }
}
