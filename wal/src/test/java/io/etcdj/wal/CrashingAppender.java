package io.etcdj.wal;

import io.etcdj.raft.pb.Entry;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The child of {@link WalCrashTest}: opens (or creates) the WAL and appends batches of entries
 * whose payloads are {@code TestLogs.payload(payloadSeed, index, 1, 1024)}, printing the last
 * index of each batch once it is synced ("acknowledged"). Some batches are written without
 * sync and acknowledged by the next synced one. It runs until killed, or prints "done" after
 * {@code maxEntries} entries.
 *
 * <p>Arguments: walDir payloadSeed runSeed segmentBytes maxEntries
 */
public final class CrashingAppender {
  private CrashingAppender() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long payloadSeed = Long.parseLong(args[1]);
    SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
    WalOptions options = TestLogs.smallSegments(Long.parseLong(args[3]));
    long maxEntries = Long.parseLong(args[4]);
    Wal wal;
    long next;
    if (Wal.exists(dir)) {
      wal = Wal.open(dir, SnapshotMarker.ZERO, options);
      next = wal.readAll().entries().size() + 1;
    } else {
      wal = Wal.create(dir, TestLogs.metadata(), options);
      next = 1;
    }
    System.out.println("ready " + (next - 1));
    System.out.flush();
    for (long written = 0; written < maxEntries; ) {
      int n = random.nextInt(1, 64);
      List<Entry> batch = TestLogs.entries(payloadSeed, next, next + n - 1, 1, 1024);
      boolean sync = random.nextInt(5) != 0;
      wal.save(TestLogs.state(1, 1, next + n - 1), batch, sync);
      next += n;
      written += n;
      if (sync) {
        System.out.println(next - 1);
        System.out.flush();
      }
    }
    wal.close();
    System.out.println("done");
  }
}
