package io.etcdj.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Entry;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.raft.pb.SnapshotMetadata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStorageTest {

  private static List<Entry> ents(long firstIndex, long... terms) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      out.add(Entry.newBuilder().setIndex(firstIndex + i).setTerm(terms[i]).build());
    }
    return out;
  }

  private static MemoryStorage withEntries(long firstIndex, long... terms) {
    MemoryStorage st = new MemoryStorage();
    if (firstIndex > 1) {
      st.applySnapshot(Snapshot.newBuilder().setMetadata(
          SnapshotMetadata.newBuilder().setIndex(firstIndex - 1).setTerm(terms[0])).build());
    }
    st.append(ents(firstIndex, terms));
    return st;
  }

  @Test
  void anEmptyStorageHasFirstIndexOneAndLastIndexZero() {
    MemoryStorage st = new MemoryStorage();
    assertThat(st.firstIndex()).isEqualTo(1);
    assertThat(st.lastIndex()).isZero();
    assertThat(st.term(0)).isZero();
    assertThat(st.entries(1, 1, Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void termAndEntriesRespectTheBounds() {
    MemoryStorage st = withEntries(4, 3, 4, 5); // dummy 3/3, entries 4..6
    assertThat(st.firstIndex()).isEqualTo(4);
    assertThat(st.lastIndex()).isEqualTo(6);
    assertThat(st.term(3)).isEqualTo(3);
    assertThat(st.term(6)).isEqualTo(5);
    assertThatThrownBy(() -> st.term(2)).isInstanceOf(CompactedException.class);
    assertThatThrownBy(() -> st.term(7)).isInstanceOf(UnavailableException.class);
    assertThatThrownBy(() -> st.entries(3, 5, Long.MAX_VALUE)).isInstanceOf(CompactedException.class);
    assertThatThrownBy(() -> st.entries(4, 8, Long.MAX_VALUE)).isInstanceOf(UnavailableException.class);
    assertThat(st.entries(4, 7, Long.MAX_VALUE)).extracting(Entry::getIndex).containsExactly(4L, 5L, 6L);
  }

  @Test
  void entriesAreCutBySizeButNeverToNothing() {
    MemoryStorage st = withEntries(4, 3, 4, 5);
    long one = st.entries(4, 5, Long.MAX_VALUE).get(0).getSerializedSize();
    assertThat(st.entries(4, 7, 0)).hasSize(1);
    assertThat(st.entries(4, 7, one * 2)).hasSize(2);
    assertThat(st.entries(4, 7, one * 2 + 1)).hasSize(2);
  }

  @Test
  void appendOverwritesAConflictingTailAndIgnoresCompactedEntries() {
    MemoryStorage st = withEntries(4, 3, 4, 5);
    st.append(ents(5, 6, 6, 6));
    assertThat(st.entries(4, 8, Long.MAX_VALUE)).extracting(Entry::getTerm).containsExactly(3L, 6L, 6L, 6L);
    st.append(ents(2, 1, 1, 3, 6)); // 2..3 compacted away, 4..5 identical
    assertThat(st.lastIndex()).isEqualTo(5);
    assertThatThrownBy(() -> st.append(ents(9, 7))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void compactKeepsTheTermOfTheCompactedIndex() {
    MemoryStorage st = withEntries(4, 3, 4, 5);
    st.compact(5);
    assertThat(st.firstIndex()).isEqualTo(6);
    assertThat(st.term(5)).isEqualTo(4);
    assertThatThrownBy(() -> st.compact(5)).isInstanceOf(CompactedException.class);
    assertThatThrownBy(() -> st.compact(9)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void createAndApplySnapshot() {
    MemoryStorage st = withEntries(4, 3, 4, 5);
    ConfState cs = ConfState.newBuilder().addVoters(1).addVoters(2).build();
    Snapshot s = st.createSnapshot(5, cs, ByteString.copyFromUtf8("data"));
    assertThat(s.getMetadata().getTerm()).isEqualTo(4);
    assertThat(st.snapshot()).isEqualTo(s);
    assertThat(st.initialState().confState()).isEqualTo(cs);
    assertThatThrownBy(() -> st.createSnapshot(4, cs, ByteString.EMPTY)).isInstanceOf(SnapshotOutOfDateException.class);

    MemoryStorage other = new MemoryStorage();
    other.applySnapshot(s);
    assertThat(other.firstIndex()).isEqualTo(6);
    assertThat(other.lastIndex()).isEqualTo(5);
    assertThat(other.term(5)).isEqualTo(4);
    assertThatThrownBy(() -> other.applySnapshot(s)).isInstanceOf(SnapshotOutOfDateException.class);
  }
}
