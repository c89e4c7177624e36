package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnstableLogTest {

  private static List<Entry> ents(long firstIndex, long... terms) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      out.add(Entry.newBuilder().setIndex(firstIndex + i).setTerm(terms[i]).build());
    }
    return out;
  }

  @Test
  void entriesHandedOutAreNotHandedOutAgain() {
    UnstableLog u = new UnstableLog(5);
    u.truncateAndAppend(ents(5, 1, 1));
    assertThat(u.nextEntries()).hasSize(2);
    u.acceptInProgress();
    assertThat(u.nextEntries()).isEmpty();
    u.truncateAndAppend(ents(7, 1));
    assertThat(u.nextEntries()).extracting(Entry::getIndex).containsExactly(7L);
  }

  @Test
  void stableToDropsDurableEntriesUnlessTheTermChangedSince() {
    UnstableLog u = new UnstableLog(5);
    u.truncateAndAppend(ents(5, 1, 1, 1));
    u.acceptInProgress();
    u.stableTo(6, 1);
    assertThat(u.offset()).isEqualTo(7);
    assertThat(u.entries()).extracting(Entry::getIndex).containsExactly(7L);
    u.truncateAndAppend(ents(7, 2)); // 7 overwritten by term 2 before its write finished
    u.stableTo(7, 1);
    assertThat(u.offset()).as("stale acknowledgement ignored").isEqualTo(7);
    assertThat(u.nextEntries()).extracting(Entry::getTerm).containsExactly(2L);
  }

  @Test
  void truncationRewindsTheInProgressMark() {
    UnstableLog u = new UnstableLog(5);
    u.truncateAndAppend(ents(5, 1, 1, 1));
    u.acceptInProgress();
    u.truncateAndAppend(ents(6, 2));
    assertThat(u.entries()).extracting(Entry::getTerm).containsExactly(1L, 2L);
    assertThat(u.nextEntries()).extracting(Entry::getIndex).containsExactly(6L);
    u.truncateAndAppend(ents(3, 3)); // before the offset: replaces everything
    assertThat(u.offset()).isEqualTo(3);
    assertThat(u.maybeLastIndex()).isEqualTo(3);
  }

  @Test
  void aSnapshotDefinesTheFirstIndexUntilItIsDurable() {
    UnstableLog u = new UnstableLog(5);
    Snapshot s = Snapshot.newBuilder().setMetadata(SnapshotMetadata.newBuilder().setIndex(10).setTerm(3)).build();
    u.restore(s);
    assertThat(u.maybeFirstIndex()).isEqualTo(11);
    assertThat(u.maybeLastIndex()).isEqualTo(10);
    assertThat(u.maybeTerm(10)).isEqualTo(3);
    assertThat(u.maybeTerm(9)).isEqualTo(-1);
    assertThat(u.nextSnapshot()).isEqualTo(s);
    u.acceptInProgress();
    assertThat(u.nextSnapshot()).isNull();
    u.stableSnapTo(10);
    assertThat(u.snapshot()).isNull();
    assertThat(u.maybeFirstIndex()).isEqualTo(-1);
  }
}
