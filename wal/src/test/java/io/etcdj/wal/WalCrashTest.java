package io.etcdj.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.etcdj.raft.pb.Entry;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends and acknowledges synced batches; the parent kills it with SIGKILL at a
 * seeded moment (after a seeded number of acknowledgements, while it keeps writing), reopens
 * the WAL and checks that every acknowledged entry is there, intact. Several rounds on the same
 * WAL, so later rounds also replay repaired tails and segments cut mid-run.
 */
class WalCrashTest {
  private static final long SEGMENT_BYTES = 256 * 1024;
  private static final int ROUNDS = 5;
  private static final long ROUND_DEADLINE_NANOS = 60_000_000_000L;

  @TempDir Path tmp;

  @Test
  void everyAcknowledgedEntrySurvivesSigkill() throws Exception {
    long seed = Long.getLong("wal.seed", System.nanoTime());
    String replay = "seed " + seed + " (replay with -Dwal.seed=" + seed + ")";
    System.out.println("WalCrashTest " + replay);
    SplittableRandom random = new SplittableRandom(seed);
    Path dir = tmp.resolve("wal");
    long acknowledged = 0;
    for (int round = 0; round < ROUNDS; round++) {
      int killAfterAcks = random.nextInt(1, 150);
      Path stderr = tmp.resolve("child-" + round + ".err");
      long roundAcked = acknowledged;
      try (ChildJvm child = ChildJvm.start(CrashingAppender.class, stderr, dir.toString(),
          Long.toString(seed), Long.toString(random.nextLong()), Long.toString(SEGMENT_BYTES),
          "1000000")) {
        long deadline = System.nanoTime() + ROUND_DEADLINE_NANOS;
        int acks = 0;
        while (acks < killAfterAcks) {
          String line = child.nextLine(deadline);
          if (line == null || line.equals(ChildJvm.EOF) || line.equals("done")) {
            fail("%s: round %d: child ended or stalled after %d acks: %s\n%s", replay, round,
                acks, line, child.stderrText());
          }
          if (line.startsWith("ready ")) {
            long recovered = Long.parseLong(line.substring(6));
            assertThat(recovered).as("%s: the child recovered every acknowledged entry", replay)
                .isGreaterThanOrEqualTo(acknowledged);
            continue;
          }
          roundAcked = Math.max(roundAcked, Long.parseLong(line));
          acks++;
        }
        child.process.destroyForcibly(); // SIGKILL while it keeps appending
        child.process.waitFor();
      }
      acknowledged = roundAcked;

      try (Wal wal = Wal.open(dir, SnapshotMarker.ZERO, TestLogs.smallSegments(SEGMENT_BYTES))) {
        List<Entry> entries = wal.readAll().entries();
        assertThat((long) entries.size()).as("%s: round %d", replay, round)
            .isGreaterThanOrEqualTo(acknowledged);
        for (int i = 0; i < entries.size(); i++) {
          long index = i + 1;
          assertThat(entries.get(i)).as("%s: round %d, entry %d", replay, round, index)
              .isEqualTo(TestLogs.entry(index, 1, TestLogs.payload(seed, index, 1, 1024)));
        }
      }
    }
    assertThat(Frames.segments(dir).size()).as(replay + ": segments were cut").isGreaterThan(1);
    System.out.println("WalCrashTest: " + acknowledged + " entries acknowledged over " + ROUNDS
        + " kills, all present");
  }
}
