package io.etcdj.wal;

import static io.etcdj.wal.TestLogs.entries;
import static io.etcdj.wal.TestLogs.metadata;
import static io.etcdj.wal.TestLogs.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcdj.raft.pb.Snapshot;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole sequence a member goes through, as the server is meant to use this module: write,
 * snapshot (file first, then WAL marker, then purge), crash between a snapshot file and its
 * marker, and restart from the newest snapshot the WAL can replay from.
 */
class MemberRestartTest {
  @TempDir Path tmp;

  @Test
  void aMemberRestartsFromItsNewestSnapshotThatTheWalKnows() throws Exception {
    Path root = tmp.resolve("infra1.etcd");
    WalOptions walOptions = TestLogs.smallSegments(8 * 1024).withMaxWals(2);
    try (DataDir dataDir = DataDir.open(root)) {
      assertThat(dataDir.hasWal()).isFalse();
      SnapshotStore snaps = new SnapshotStore(dataDir.snapDir(), 5);
      try (Wal wal = Wal.create(dataDir.walDir(), metadata(), walOptions)) {
        for (long i = 1; i <= 100; i += 10) {
          wal.save(state(1, 1, i + 9), entries(1, i, i + 9, 1, 300), true);
        }
        snaps.save(SnapshotStoreTest.snapshot(1, 60));
        wal.saveSnapshotMarker(60, 1);
        List<Path> purged = wal.purge(60);
        assertThat(purged).isNotEmpty();
        for (long i = 101; i <= 120; i += 10) {
          wal.save(state(1, 1, i + 9), entries(1, i, i + 9, 1, 300), true);
        }
        snaps.save(SnapshotStoreTest.snapshot(1, 110)); // the process dies before the marker
      }
    }

    try (DataDir dataDir = DataDir.open(root)) {
      assertThat(dataDir.hasWal()).isTrue();
      List<SnapshotMarker> markers = Wal.validSnapshotMarkers(dataDir.walDir());
      Optional<Snapshot> snap = new SnapshotStore(dataDir.snapDir(), 5)
          .loadNewestAvailable(markers);
      assertThat(snap).contains(SnapshotStoreTest.snapshot(1, 60));
      SnapshotMarker from = new SnapshotMarker(snap.get().getMetadata().getIndex(),
          snap.get().getMetadata().getTerm());
      try (Wal wal = Wal.open(dataDir.walDir(), from, walOptions)) {
        WalContents c = wal.readAll();
        assertThat(c.metadata()).isEqualTo(metadata());
        assertThat(c.hardState()).isEqualTo(state(1, 1, 120));
        assertThat(c.entries()).isEqualTo(entries(1, 61, 120, 1, 300));
      }
    }
  }
}
