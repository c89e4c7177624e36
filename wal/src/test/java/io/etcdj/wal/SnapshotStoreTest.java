package io.etcdj.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.etcdj.raft.pb.ConfState;
import io.etcdj.raft.pb.Snapshot;
import io.etcdj.raft.pb.SnapshotMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
  @TempDir Path dir;

  static Snapshot snapshot(long term, long index) {
    return Snapshot.newBuilder()
        .setMetadata(SnapshotMetadata.newBuilder().setTerm(term).setIndex(index)
            .setConfState(ConfState.newBuilder().addVoters(1).addVoters(2).addLearners(3)))
        .setData(ByteString.copyFromUtf8("state at " + index))
        .build();
  }

  @Test
  void theNewestSnapshotIsLoadedWithItsMetadataAndData() throws Exception {
    SnapshotStore store = new SnapshotStore(dir, 5);
    assertThat(store.loadNewest()).isEmpty();
    Path f = store.save(snapshot(1, 100));
    store.save(snapshot(2, 200));
    assertThat(f.getFileName().toString()).isEqualTo("0000000000000001-0000000000000064.snap");
    assertThat(store.loadNewest()).contains(snapshot(2, 200));
    try (var s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void aCorruptNewestSnapshotIsSetAsideAsBrokenAndThePreviousOneIsUsed() throws Exception {
    SnapshotStore store = new SnapshotStore(dir, 5);
    store.save(snapshot(1, 100));
    Path newest = store.save(snapshot(1, 200));
    Frames.flipBit(newest, 8 * 30 + 2);
    assertThat(store.loadNewest()).contains(snapshot(1, 100));
    assertThat(newest).doesNotExist();
    assertThat(newest.resolveSibling(newest.getFileName() + ".broken")).exists();
    assertThat(store.snapshotFiles()).hasSize(1);
  }

  @Test
  void aTruncatedOrRenamedSnapshotIsBrokenToo() throws Exception {
    SnapshotStore store = new SnapshotStore(dir, 5);
    store.save(snapshot(1, 100));
    Path second = store.save(snapshot(1, 200));
    Path third = store.save(snapshot(1, 300));
    Frames.truncate(third, Files.size(third) - 1);
    // a file whose name does not match its metadata
    Files.move(second, dir.resolve(SnapshotStore.fileName(1, 250)));
    assertThat(store.loadNewest()).contains(snapshot(1, 100));
    assertThat(dir.resolve(SnapshotStore.fileName(1, 250) + ".broken")).exists();
  }

  @Test
  void onlyMaxSnapshotsFilesAreKept() throws Exception {
    SnapshotStore store = new SnapshotStore(dir, 3);
    for (long i = 1; i <= 8; i++) {
      store.save(snapshot(1, i * 10));
    }
    assertThat(store.snapshotFiles()).extracting(p -> p.getFileName().toString())
        .containsExactly(SnapshotStore.fileName(1, 80), SnapshotStore.fileName(1, 70),
            SnapshotStore.fileName(1, 60));
  }

  @Test
  void maxSnapshotsZeroKeepsAll() throws Exception {
    SnapshotStore store = new SnapshotStore(dir, 0);
    for (long i = 1; i <= 8; i++) {
      store.save(snapshot(1, i * 10));
    }
    assertThat(store.snapshotFiles()).hasSize(8);
  }

  @Test
  void theNewestSnapshotWithAWalMarkerIsAvailable() throws Exception {
    SnapshotStore store = new SnapshotStore(dir, 5);
    store.save(snapshot(1, 100));
    store.save(snapshot(2, 200)); // crash before its marker reached the WAL
    assertThat(store.loadNewestAvailable(List.of(SnapshotMarker.ZERO,
        new SnapshotMarker(100, 1)))).contains(snapshot(1, 100));
    assertThat(store.loadNewestAvailable(List.of(SnapshotMarker.ZERO))).isEmpty();
  }

  @Test
  void otherFilesInTheSnapDirectoryAreLeftAlone() throws Exception {
    Files.createDirectories(dir.resolve("db"));
    Files.writeString(dir.resolve("0000000000000001.snap.db"), "incoming");
    SnapshotStore store = new SnapshotStore(dir, 1);
    store.save(snapshot(1, 100));
    store.save(snapshot(1, 200));
    assertThat(store.loadNewest()).contains(snapshot(1, 200));
    assertThat(dir.resolve("db")).isDirectory();
    assertThat(dir.resolve("0000000000000001.snap.db")).exists();
  }

  @Test
  void aTempFileLeftByACrashDuringSaveIsIgnoredAndRemoved() throws Exception {
    SnapshotStore store = new SnapshotStore(dir, 5);
    store.save(snapshot(1, 100));
    Path torn = dir.resolve(SnapshotStore.fileName(1, 200) + ".tmp");
    Files.write(torn, new byte[] {1, 2, 3});
    assertThat(store.loadNewest()).contains(snapshot(1, 100));
    assertThat(torn).doesNotExist();
  }

  @Test
  void anEmptySnapshotIsNotSaved() {
    assertThatThrownBy(() -> new SnapshotStore(dir, 5).save(Snapshot.getDefaultInstance()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
